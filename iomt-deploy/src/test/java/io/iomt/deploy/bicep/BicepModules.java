package io.iomt.deploy.bicep;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Checks a file's module calls against the modules' own params. Stateless. */
public final class BicepModules {
  private BicepModules() {}

  /** The file a module call points at. */
  public static Path target(BicepFile file, BicepFile.Module module) {
    return file.path().toAbsolutePath().getParent().resolve(module.path()).normalize();
  }

  /**
   * Every problem of the file's module calls: a module file that does not exist, a param passed
   * that the module does not declare, a required param (no default) not passed.
   */
  public static List<String> problems(BicepFile file) {
    List<String> problems = new ArrayList<>();
    for (BicepFile.Module m : file.modules()) {
      String at = file.path() + ":" + m.line() + ": module " + m.symbol();
      Path target = target(file, m);
      if (!Files.isRegularFile(target)) {
        problems.add(at + ": " + m.path() + " does not exist");
        continue;
      }
      BicepFile module = BicepReader.read(target);
      for (String passed : m.params().keySet()) {
        if (module.param(passed).isEmpty()) {
          problems.add(at + ": passes '" + passed + "', which " + m.path() + " does not declare");
        }
      }
      for (BicepFile.Param p : module.params()) {
        if (p.required() && !m.params().containsKey(p.name())) {
          problems.add(at + ": does not pass '" + p.name() + "', required by " + m.path());
        }
      }
    }
    return problems;
  }
}
