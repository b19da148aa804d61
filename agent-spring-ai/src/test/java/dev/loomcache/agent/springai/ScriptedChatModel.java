package dev.loomcache.agent.springai;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingChatOptions;

/**
 * A real Spring AI {@link ChatModel} that plays a fixed script of tool calls, one per turn, then
 * answers "done"; it keeps the tool responses Spring AI sent back, so tests can check what the
 * model read.
 */
final class ScriptedChatModel implements ChatModel {
  private static final AtomicInteger IDS = new AtomicInteger();

  private final ReentrantLock lock = new ReentrantLock();
  private final Deque<AssistantMessage.ToolCall> script;
  private final Map<String, String> responses = new LinkedHashMap<>();

  ScriptedChatModel(List<AssistantMessage.ToolCall> calls) {
    this.script = new ArrayDeque<>(calls);
  }

  static AssistantMessage.ToolCall call(String tool, String jsonArguments) {
    return new AssistantMessage.ToolCall(
        "call-" + IDS.incrementAndGet(), "function", tool, jsonArguments);
  }

  static ScriptedChatModel of(AssistantMessage.ToolCall... calls) {
    return new ScriptedChatModel(List.of(calls));
  }

  static ScriptedChatModel repeating(int times, String tool, String jsonArguments) {
    var calls = new ArrayList<AssistantMessage.ToolCall>();
    for (int i = 0; i < times; i++) {
      calls.add(call(tool, jsonArguments));
    }
    return new ScriptedChatModel(calls);
  }

  @Override
  public ChatResponse call(Prompt prompt) {
    lock.lock();
    try {
      for (Message message : prompt.getInstructions()) {
        if (message instanceof ToolResponseMessage toolResponses) {
          for (var response : toolResponses.getResponses()) {
            responses.putIfAbsent(response.id(), response.responseData());
          }
        }
      }
      AssistantMessage.ToolCall next = script.poll();
      AssistantMessage reply =
          next == null
              ? new AssistantMessage("done")
              : AssistantMessage.builder().content("").toolCalls(List.of(next)).build();
      return new ChatResponse(List.of(new Generation(reply)));
    } finally {
      lock.unlock();
    }
  }

  @Override
  public ChatOptions getOptions() {
    return ToolCallingChatOptions.builder().build();
  }

  /** The tool responses the model has read, in order. */
  List<String> toolResponses() {
    lock.lock();
    try {
      return List.copyOf(responses.values());
    } finally {
      lock.unlock();
    }
  }
}
