/**
 * jcstress tests of the real cache: each class races public {@code Cache} calls and lists every
 * outcome it can observe, with the ones a bug would produce marked forbidden.
 */
@NullMarked
package dev.loomcache.stress;

import org.jspecify.annotations.NullMarked;
