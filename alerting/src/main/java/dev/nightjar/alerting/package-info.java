/**
 * Alerting: rule evaluation, the alert state machine, contact points (email, Slack, PagerDuty,
 * webhooks through the SSRF-safe client) and alert history. Not built yet; the dashboard says so.
 */
package dev.nightjar.alerting;
