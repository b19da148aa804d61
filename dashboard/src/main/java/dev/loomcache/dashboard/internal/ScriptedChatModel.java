package dev.loomcache.dashboard.internal;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A LangChain4j {@link ChatModel} that stands in for an LLM: each of its turns is the next step of
 * a fixed script, one tool-call request; when the script is done it answers with plain text. It
 * keeps the tool results LangChain4j sent back, so the panel can show what the model read.
 */
final class ScriptedChatModel implements ChatModel {
  private static final AtomicLong IDS = new AtomicLong();

  /** One step: the tool the model asks for and its JSON arguments, as an LLM would write them. */
  record Step(String tool, String arguments) {}

  private final ReentrantLock lock = new ReentrantLock();
  private final Deque<Step> script;
  private final String answer;
  private final Set<String> seen = new LinkedHashSet<>();
  private final List<String> read = new ArrayList<>();

  ScriptedChatModel(List<Step> steps, String answer) {
    this.script = new ArrayDeque<>(steps);
    this.answer = answer;
  }

  @Override
  public ChatResponse doChat(ChatRequest request) {
    lock.lock();
    try {
      for (ChatMessage message : request.messages()) {
        if (message instanceof ToolExecutionResultMessage result && seen.add(result.id())) {
          read.add(result.text());
        }
      }
      Step next = script.poll();
      AiMessage turn =
          next == null
              ? AiMessage.from(answer)
              : AiMessage.from(
                  ToolExecutionRequest.builder()
                      .id("call-" + IDS.incrementAndGet())
                      .name(next.tool())
                      .arguments(next.arguments())
                      .build());
      return ChatResponse.builder().aiMessage(turn).build();
    } finally {
      lock.unlock();
    }
  }

  /** The texts of the tool results the model has read, in order. */
  List<String> toolResultsRead() {
    lock.lock();
    try {
      return List.copyOf(read);
    } finally {
      lock.unlock();
    }
  }
}
