package io.iomt.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class FhirCensusTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aQuantityObservationHoldsOneMeasurement() throws Exception {
    assertThat(FhirCensus.measurements(json("{\"valueQuantity\":{\"value\":72}}"))).isEqualTo(1);
  }

  @Test
  void anObservationWithComponentsHoldsOneMeasurement() throws Exception {
    assertThat(
            FhirCensus.measurements(
                json(
                    "{\"component\":[{\"valueQuantity\":{\"value\":120}},{\"valueQuantity\":{}}]}")))
        .isEqualTo(1);
  }

  @Test
  void sampledDataHoldsItsDataPointsOtherThanE() throws Exception {
    assertThat(
            FhirCensus.measurements(
                json("{\"valueSampledData\":{\"period\":1000,\"data\":\"97.5 E E 96 L U E\"}}")))
        .isEqualTo(4);
    assertThat(FhirCensus.measurements(json("{\"valueSampledData\":{\"data\":\"E E\"}}"))).isZero();
  }

  @Test
  void anObservationWithoutValueHoldsNothing() throws Exception {
    assertThat(FhirCensus.measurements(json("{\"status\":\"final\"}"))).isZero();
  }

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text);
  }
}
