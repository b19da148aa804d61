/**
 * The benchmark report: results as JSON, a Markdown summary and SVG bar charts, written without any
 * tool or library beyond the JDK.
 */
@NullMarked
package dev.loomcache.benchmarks.report;

import org.jspecify.annotations.NullMarked;
