package io.iomt.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iomt.benchmarks.DeviceMessages.Sample;
import io.iomt.core.envelope.EnvelopeReader;
import io.iomt.core.envelope.MessageLimits;
import io.iomt.core.mapping.DeviceMapping;
import io.iomt.core.measurement.Measurement;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Normalization of ~1 KB device messages (bytes in, measurements out) against Jackson merely
 * parsing the same bytes into a tree. The figure of merit is the ratio of each {@code normalize*}
 * score to {@code parseOnly} measured in the same run; see docs/benchmarks.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class NormalizationBenchmark {
  private static final int MASK = DeviceMessages.POOL_SIZE - 1;

  private Sample[] samples;
  private ObjectMapper mapper;
  private EnvelopeReader reader;
  private DeviceMapping jsonPathMapping;
  private DeviceMapping jmesPathMapping;
  private int next;

  @Setup
  public void setUp() {
    samples = DeviceMessages.pool().toArray(new Sample[0]);
    mapper = new ObjectMapper();
    reader = new EnvelopeReader(MessageLimits.DEFAULTS);
    jsonPathMapping = DeviceMapping.parse(DeviceMessages.resource(DeviceMessages.JSONPATH_MAPPING));
    jmesPathMapping = DeviceMapping.parse(DeviceMessages.resource(DeviceMessages.JMESPATH_MAPPING));
  }

  private Sample nextSample() {
    return samples[next++ & MASK];
  }

  /** Baseline: Jackson parses the body into a tree, nothing else. */
  @Benchmark
  public void parseOnly(Blackhole bh) throws IOException {
    bh.consume(parse(nextSample()));
  }

  /** Envelope (body parsed, properties attached) and a 4-expression JSONPath CalculatedContent. */
  @Benchmark
  public void normalizeJsonPath(Blackhole bh) {
    bh.consume(normalize(jsonPathMapping, nextSample()));
  }

  /** As {@link #normalizeJsonPath}, the same mapping written in JMESPath. */
  @Benchmark
  public void normalizeJmesPath(Blackhole bh) {
    bh.consume(normalize(jmesPathMapping, nextSample()));
  }

  JsonNode parse(Sample sample) throws IOException {
    return mapper.readTree(sample.body());
  }

  List<Measurement> normalize(DeviceMapping mapping, Sample sample) {
    ObjectNode envelope =
        reader.envelope(sample.body(), sample.properties(), sample.systemProperties());
    return mapping.normalize(envelope, sample.ingestionTime());
  }

  DeviceMapping jsonPathMapping() {
    return jsonPathMapping;
  }

  DeviceMapping jmesPathMapping() {
    return jmesPathMapping;
  }

  Sample[] samples() {
    return samples;
  }
}
