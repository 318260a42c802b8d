package io.iomt.service;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Prints every configuration problem at start-up instead of a stack trace. */
public final class ConfigurationFailureAnalyzer
    extends AbstractFailureAnalyzer<InvalidConfigurationException> {
  @Override
  protected FailureAnalysis analyze(Throwable root, InvalidConfigurationException cause) {
    return new FailureAnalysis(
        cause.getMessage(),
        "Fix the settings above in application.yaml or the environment (docs/configuration.md"
            + " lists every setting), then start again.",
        cause);
  }
}
