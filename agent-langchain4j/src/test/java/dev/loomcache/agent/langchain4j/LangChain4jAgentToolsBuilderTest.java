package dev.loomcache.agent.langchain4j;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomcache.agent.AgentCache;
import dev.loomcache.agent.LoopPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LangChain4jAgentToolsBuilderTest {
  private final AgentCache agents = AgentCache.newBuilder().build();

  @AfterEach
  void closeAgents() {
    agents.close();
  }

  @Test
  void readTool_sameNameTwice_isRejected() {
    var builder = LangChain4jAgentTools.newBuilder(agents).readTool("getCart");
    assertThatThrownBy(() -> builder.writeTool("getCart", write -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Tool 'getCart' is already configured");
  }

  @Test
  void readTool_blankName_isRejected() {
    assertThatThrownBy(() -> LangChain4jAgentTools.newBuilder(agents).readTool(" "))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void loopPolicy_setTwice_namesTheOldValue() {
    var builder = LangChain4jAgentTools.newBuilder(agents).loopPolicy(LoopPolicy.disabled());
    assertThatThrownBy(() -> builder.loopPolicy(LoopPolicy.defaults()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("loopPolicy was already set to");
  }

  @Test
  void sessionSource_setTwice_namesTheOldSource() {
    var builder = LangChain4jAgentTools.newBuilder(agents).sessionFromParameter("sid");
    assertThatThrownBy(builder::sessionFromMemoryId)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the session source was already set to the parameter 'sid'");
  }

  @Test
  void build_aToolNameTheAgentCacheAlreadyHas_isRejected() {
    agents.readTool("getCart", (String json) -> json).build();
    var builder = LangChain4jAgentTools.newBuilder(agents).readTool("getCart");
    assertThatThrownBy(builder::build).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void toolProvider_anObjectWithoutTools_isRejected() {
    var tools = LangChain4jAgentTools.newBuilder(agents).build();
    assertThatThrownBy(() -> tools.toolProvider(new Object()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("has no public method annotated with @Tool");
  }
}
