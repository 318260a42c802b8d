package io.iomt.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iomt.deploy.bicep.BicepEvaluator;
import io.iomt.deploy.bicep.BicepFile;
import io.iomt.deploy.bicep.BicepModules;
import io.iomt.deploy.bicep.BicepReader;
import io.iomt.deploy.bicep.BicepSyntaxException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Bicep reader finds what {@link AzureTemplatesTest} relies on it to find. */
class BicepReaderTest {
  private static final Path HERE = Path.of("snippet.bicep");

  @Test
  void anUndeclaredIdentifierIsReportedWithItsLine() {
    BicepFile f =
        BicepReader.read(
            HERE,
            """
            param location string
            var name = 'iomt-${prefix}'
            resource hub 'Microsoft.EventHub/namespaces@2024-01-01' = {
              name: name
              location: location
              properties: {
                disableLocalAuth: !localAuth
              }
            }
            output id string = hub.id
            output other string = vault.properties.vaultUri
            """);

    assertThat(BicepReader.undeclaredIdentifiers(f))
        .containsExactly(
            "snippet.bicep:2: 'prefix' is not declared",
            "snippet.bicep:7: 'localAuth' is not declared",
            "snippet.bicep:11: 'vault' is not declared");
  }

  @Test
  void propertiesFunctionsKeysLoopAndLambdaVariablesAreNoUndeclaredIdentifiers() {
    BicepFile f =
        BicepReader.read(
            HERE,
            """
            @description('it\\'s a \\'test\\'')
            param names array = [
              'a'
              'b'
            ]
            var ids = [for (n, i) in names: {
              key: '${n}-${i}'
              value: toUpper(n)
            }]
            var upper = map(names, x => toUpper(x))
            var location = az.resourceGroup().location
            var text = '''
            not ${interpolated} here
            '''
            output first string = ids[0].key
            output count int = length(upper) + (empty(text) ? 0 : 1)
            output where string = location
            """);

    assertThat(BicepReader.undeclaredIdentifiers(f)).isEmpty();
    assertThat(f.vars()).containsOnlyKeys("ids", "upper", "location", "text");
    assertThat(f.param("names").orElseThrow().decorators().has("description")).isTrue();
  }

  @Test
  void aMissingRequiredModuleParamAndAnUnknownOneAreReported(@TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve("modules"));
    Files.writeString(
        dir.resolve("modules/hub.bicep"),
        """
        param name string
        param partitions int
        param retention int = 1
        """);
    Path main = dir.resolve("main.bicep");
    Files.writeString(
        main,
        """
        module hub 'modules/hub.bicep' = {
          name: 'hub'
          params: {
            name: 'telemetry'
            retentionDays: 2
          }
        }
        module gone 'modules/gone.bicep' = {
          name: 'gone'
        }
        """);

    assertThat(BicepModules.problems(BicepReader.read(main)))
        .containsExactlyInAnyOrder(
            main
                + ":1: module hub: passes 'retentionDays', which modules/hub.bicep does not declare",
            main + ":1: module hub: does not pass 'partitions', required by modules/hub.bicep",
            main + ":8: module gone: modules/gone.bicep does not exist");
  }

  @Test
  void unbalancedBracketsAndUnterminatedStringsAreSyntaxErrorsNamingTheLine() {
    assertThatThrownBy(() -> BicepReader.read(HERE, "var a = {\n  b: [1, 2}\n"))
        .isInstanceOf(BicepSyntaxException.class)
        .hasMessage("snippet.bicep:2: '}' closes '[' of line 2");
    assertThatThrownBy(() -> BicepReader.read(HERE, "var a = {\n  b: 1\n"))
        .isInstanceOf(BicepSyntaxException.class)
        .hasMessage("snippet.bicep:1: '{' is never closed");
    assertThatThrownBy(() -> BicepReader.read(HERE, "var a = 'abc\nvar b = 1\n"))
        .isInstanceOf(BicepSyntaxException.class)
        .hasMessage("snippet.bicep:1: unterminated string");
    assertThatThrownBy(() -> BicepReader.read(HERE, "var a = '${b'\n"))
        .isInstanceOf(BicepSyntaxException.class)
        .hasMessageContaining("unterminated");
    assertThatThrownBy(() -> BicepReader.read(HERE, "type t = string\n"))
        .isInstanceOf(BicepSyntaxException.class)
        .hasMessage("snippet.bicep:1: unsupported statement 'type'");
  }

  @Test
  void theEvaluatorComputesInterpolationsOfParamsAndVarsAndNothingDeployed() {
    BicepFile f =
        BicepReader.read(
            HERE,
            """
            param connector string = 'icu'
            param localAuth bool = false
            var env = 'IOMT_CONNECTORS_${toUpper(connector)}'
            var off = !localAuth
            var id = resourceGroup().id
            """);
    BicepEvaluator eval = BicepEvaluator.of(f);

    assertThat(eval.eval(f.vars().get("env"))).contains("IOMT_CONNECTORS_ICU");
    assertThat(eval.with(Map.of("connector", "ward7")).eval(f.vars().get("env")))
        .contains("IOMT_CONNECTORS_WARD7");
    assertThat(eval.eval(f.vars().get("off"))).contains(true);
    assertThat(eval.eval(f.vars().get("id"))).isEmpty();
  }
}
