package dev.loomcache.agent.mcp.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class McpCacheProxyStartTest {
  @Test
  void start_anUpstreamThatCannotBeStarted_failsAndLeavesNoChildProcess() {
    long childrenBefore = ProcessHandle.current().children().count();
    ProxyConfig config = ProxyConfig.parse(new Properties());

    assertThatThrownBy(() ->
            McpCacheProxy.start(
                config,
                List.of("/nonexistent/mcp-server"),
                InputStream.nullInputStream(),
                new ByteArrayOutputStream()))
        .isInstanceOf(RuntimeException.class);
    assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive).count())
        .isLessThanOrEqualTo(childrenBefore);
  }

  @Test
  void start_anEmptyCommand_isRejected() {
    assertThatThrownBy(() ->
            McpCacheProxy.start(
                ProxyConfig.parse(new Properties()),
                List.of(),
                InputStream.nullInputStream(),
                new ByteArrayOutputStream()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("upstreamCommand must not be empty");
  }
}
