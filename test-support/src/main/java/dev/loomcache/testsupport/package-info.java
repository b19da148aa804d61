/**
 * Test helpers shared by every module's tests: {@link dev.loomcache.testsupport.Concurrently},
 * {@link dev.loomcache.testsupport.FakeTicker}, {@link dev.loomcache.testsupport.Polling}, {@link
 * dev.loomcache.testsupport.RedisServer} and {@link dev.loomcache.testsupport.RedisCluster}, and
 * {@link dev.loomcache.testsupport.DocSnippets}. Never published; depends on no Loomcache module,
 * so that core's tests can use it without a cycle.
 */
@NullMarked
package dev.loomcache.testsupport;

import org.jspecify.annotations.NullMarked;
