package dev.loomcache.agent.langchain4j;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A real LangChain4j {@link ChatModel} that plays a fixed script: each turn of the model is the
 * next step, a tool-call request; when the script is done it answers "done". It keeps every tool
 * result LangChain4j sent back, so tests can check what the model read.
 */
final class ScriptedChatModel implements ChatModel {
  private static final AtomicInteger IDS = new AtomicInteger();

  private final ReentrantLock lock = new ReentrantLock();
  private final Deque<AiMessage> script;
  private final Map<String, ToolExecutionResultMessage> results = new LinkedHashMap<>();

  ScriptedChatModel(List<AiMessage> steps) {
    this.script = new ArrayDeque<>(steps);
  }

  static ScriptedChatModel of(AiMessage... steps) {
    return new ScriptedChatModel(List.of(steps));
  }

  /** A turn in which the model asks for one tool call. */
  static AiMessage call(String tool, String jsonArguments) {
    return AiMessage.from(
        ToolExecutionRequest.builder()
            .id("call-" + IDS.incrementAndGet())
            .name(tool)
            .arguments(jsonArguments)
            .build());
  }

  /** A script that asks for the same call {@code times} times. */
  static ScriptedChatModel repeating(int times, String tool, String jsonArguments) {
    var steps = new ArrayList<AiMessage>();
    for (int i = 0; i < times; i++) {
      steps.add(call(tool, jsonArguments));
    }
    return new ScriptedChatModel(steps);
  }

  @Override
  public ChatResponse doChat(ChatRequest request) {
    lock.lock();
    try {
      for (ChatMessage message : request.messages()) {
        if (message instanceof ToolExecutionResultMessage result) {
          results.putIfAbsent(result.id(), result);
        }
      }
      AiMessage next = script.poll();
      return ChatResponse.builder().aiMessage(next == null ? AiMessage.from("done") : next).build();
    } finally {
      lock.unlock();
    }
  }

  /** The tool results the model has read, in order. */
  List<ToolExecutionResultMessage> toolResults() {
    lock.lock();
    try {
      return List.copyOf(results.values());
    } finally {
      lock.unlock();
    }
  }

  /** The texts of the tool results the model has read, in order. */
  List<String> toolResultTexts() {
    return toolResults().stream().map(ToolExecutionResultMessage::text).toList();
  }
}
