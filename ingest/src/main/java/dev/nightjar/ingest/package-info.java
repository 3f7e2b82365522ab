/**
 * Telemetry ingest: OTLP gRPC/HTTP and Prometheus remote_write receivers, authentication of senders by
 * ingest-scoped API key, limits, the write-ahead log and the pipeline into storage. The receivers arrive
 * with the datastore and metrics-store work; until then this module holds no handlers.
 */
package dev.nightjar.ingest;
