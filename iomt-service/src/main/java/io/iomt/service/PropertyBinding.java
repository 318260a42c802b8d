package io.iomt.service;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.bind.AbstractBindHandler;
import org.springframework.boot.context.properties.bind.BindContext;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.PropertySourceOrigin;
import org.springframework.boot.origin.SystemEnvironmentOrigin;
import org.springframework.core.env.Environment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.util.unit.DataSize;

/**
 * Binds everything under {@code iomt.} (files, command line, environment variables, relaxed names
 * alike) into {@link IomtProperties} and returns every problem instead of stopping at the first:
 *
 * <ul>
 *   <li>a value that cannot be converted ({@code flush.max-age: banana}) is a problem, and the
 *       setting keeps its default only so the other settings can still be checked;
 *   <li>a setting the service does not know ({@code iomt.connectors.x.flussh.max-age}, {@code
 *       iomt.ingest.max-mesage-size}) is a problem: ignored, it would leave a default in force.
 * </ul>
 *
 * Values of settings whose names look secret are never shown. A few environment variables that
 * start with {@code IOMT_} but are no settings are not reported: {@code IOMT_JAVA_OPTS} (the CLI
 * launcher's) and the service-link variables Kubernetes sets for a Service named {@code iomt}
 * ({@code IOMT_SERVICE_HOST}, {@code IOMT_PORT_8080_TCP}, ...); nor is {@code iomt.demo.*}, the
 * demo's own system properties in the JVM that embeds the service. Stateless.
 */
final class PropertyBinding {
  /** The properties, with defaults where a value could not be read, and every problem found. */
  record Bound(IomtProperties properties, List<String> problems) {}

  private static final Pattern NOT_SETTINGS =
      Pattern.compile("IOMT_(JAVA_OPTS|SERVICE_HOST|SERVICE_PORT(_.*)?|PORT(_.*)?)");

  /** The demo's own system properties ({@code iomt.demo.log-file}, ...), set in its JVM. */
  private static final ConfigurationPropertyName DEMO = ConfigurationPropertyName.of("iomt.demo");

  private PropertyBinding() {}

  static Bound bind(Environment environment) {
    return bind(environment, setting -> false);
  }

  /**
   * @param secret settings whose values are never shown, besides those whose names look secret
   *     (e.g. the ones whose value came from Key Vault)
   */
  static Bound bind(Environment environment, Predicate<String> secret) {
    Binder binder = Binder.get(environment);
    List<String> problems = new ArrayList<>();
    Set<ConfigurationPropertyName> unreadable = new HashSet<>();
    Set<String> bound = new HashSet<>();
    IomtProperties properties =
        binder.bindOrCreate(
            "iomt",
            Bindable.of(IomtProperties.class),
            new Collecting(problems, unreadable, bound, secret));
    // A second pass only to find what no field took: Spring's handler throws at the end with all
    // of them, and a conversion failure must not stop it first (it is reported above).
    try {
      binder.bind(
          "iomt",
          Bindable.of(IomtProperties.class),
          new NoUnboundElementsBindHandler(
              new Collecting(new ArrayList<>(), new HashSet<>(), new HashSet<>(), secret)));
    } catch (BindException e) {
      if (!(e.getCause() instanceof UnboundConfigurationPropertiesException unbound)) {
        throw e;
      }
      for (ConfigurationProperty p : unbound.getUnboundProperties()) {
        // IOMT_INGEST_MAX_MESSAGE_SIZE binds max-message-size, but Spring's check takes its name
        // (iomt.ingest.max.message.size) for another one: compare with dashes read as dots.
        if (!unreadable.contains(p.getName())
            && !bound.contains(p.getName().toString())
            && !notASetting(p)) {
          problems.add(
              p.getName()
                  + ": not a known setting"
                  + from(p.getOrigin())
                  + "; ignored, it would leave a default in force (check the spelling;"
                  + " docs/configuration.md lists every setting)");
        }
      }
    }
    return new Bound(properties, List.copyOf(problems));
  }

  private static boolean notASetting(ConfigurationProperty p) {
    if (DEMO.isAncestorOf(p.getName())) {
      return true;
    }
    String variable = environmentVariable(p.getOrigin());
    return variable != null && NOT_SETTINGS.matcher(variable).matches();
  }

  /** The environment variable a setting came from; null when it came from elsewhere. */
  private static String environmentVariable(Origin origin) {
    if (origin instanceof SystemEnvironmentOrigin env) {
      return env.getProperty();
    }
    if (origin instanceof PropertySourceOrigin source
        && source.getPropertySource() instanceof SystemEnvironmentPropertySource) {
      return source.getPropertyName();
    }
    return null;
  }

  private static String from(Origin origin) {
    if (origin == null) {
      return "";
    }
    String variable = environmentVariable(origin);
    return variable != null ? " (environment variable " + variable + ")" : " (" + origin + ")";
  }

  /** Records what cannot be converted and binds on without it. */
  private static final class Collecting extends AbstractBindHandler {
    private final List<String> problems;
    private final Set<ConfigurationPropertyName> unreadable;
    private final Set<String> bound;
    private final Predicate<String> secret;

    Collecting(
        List<String> problems,
        Set<ConfigurationPropertyName> unreadable,
        Set<String> bound,
        Predicate<String> secret) {
      this.problems = problems;
      this.unreadable = unreadable;
      this.bound = bound;
      this.secret = secret;
    }

    @Override
    public Object onSuccess(
        ConfigurationPropertyName name, Bindable<?> target, BindContext context, Object result) {
      bound.add(name.toString().replace('-', '.'));
      return super.onSuccess(name, target, context, result);
    }

    @Override
    public Object onFailure(
        ConfigurationPropertyName name, Bindable<?> target, BindContext context, Exception error)
        throws Exception {
      if (error instanceof UnboundConfigurationPropertiesException) {
        throw error;
      }
      unreadable.add(name);
      ConfigurationProperty property = context.getConfigurationProperty();
      String value;
      if (property == null || property.getValue() == null) {
        value = "the value";
      } else if (Redaction.isSecretName(name.toString()) || secret.test(name.toString())) {
        value = "the value (not shown: the setting holds a secret)";
      } else {
        String text = String.valueOf(property.getValue());
        value = "'" + (text.length() > 80 ? text.substring(0, 80) + "…" : text) + "'";
      }
      problems.add(
          name
              + ": "
              + value
              + " is not "
              + expected(target)
              + (property == null ? "" : from(property.getOrigin())));
      return null;
    }
  }

  private static String expected(Bindable<?> target) {
    Class<?> type = target.getType().resolve(Object.class);
    if (type == Duration.class) {
      return "a duration such as 500ms, 30s or 5m";
    }
    if (type == DataSize.class) {
      return "a size such as 512KB or 1MB";
    }
    if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
      return "a whole number";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    if (type == Path.class) {
      return "a file path";
    }
    return "a " + type.getSimpleName().toLowerCase(Locale.ROOT);
  }
}
