package dev.nightjar.storage.tsdb;

/**
 * A tenant's storage figures.
 *
 * @param headSeries active series (what the series limit counts)
 * @param blocks on-disk blocks
 * @param blockBytes bytes of all block files
 * @param blockSamples samples held in blocks
 * @param walSyncs fsyncs of the WAL since open (fewer than appends when one fsync covers several)
 */
public record TsdbStats(long headSeries, int blocks, long blockBytes, long blockSamples, long walSyncs) {}
