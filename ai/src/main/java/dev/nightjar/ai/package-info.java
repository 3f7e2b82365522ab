/**
 * Root-cause analysis (deterministic, evidence-ranked) and the DevOps bot over an OpenAI-compatible
 * endpoint. Not built yet; the dashboard says so.
 */
package dev.nightjar.ai;
