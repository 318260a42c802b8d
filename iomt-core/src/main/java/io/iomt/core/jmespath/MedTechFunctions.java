package io.iomt.core.jmespath;

import com.fasterxml.jackson.databind.JsonNode;
import io.burt.jmespath.Adapter;
import io.burt.jmespath.function.ArgumentConstraint;
import io.burt.jmespath.function.ArgumentConstraints;
import io.burt.jmespath.function.BaseFunction;
import io.burt.jmespath.function.Function;
import io.burt.jmespath.function.FunctionArgument;
import io.iomt.core.measurement.Timestamps;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The eight custom JMESPath functions of MedTech's CalculatedContent templates.
 *
 * <p>Arithmetic follows MedTech: when every argument is an integer the arithmetic is integer
 * (64-bit; {@code add}, {@code subtract} and {@code multiply} wrap around on overflow like .NET's
 * unchecked {@code long}, so {@code add(9223372036854775807, 1)} is {@code -9223372036854775808};
 * {@code divide} truncates toward zero); when any argument is a float it is floating point. {@code
 * pow} of two integers is computed in double precision and rounded half to even, and a result
 * outside the 64-bit range is an error. Division by zero is an error in both cases (a measurement
 * cannot hold an infinity). Arguments are typed by their JSON representation: {@code `40`} is an
 * integer, {@code `40.0`} a float, {@code "40"} a string and therefore an error. Literal arguments
 * of the wrong type are caught when the expression compiles ({@link LiteralCheckingNodeFactory});
 * values from the event are checked per call.
 *
 * <p>The functions are registered only on the Jackson runtime of {@link JmesPathExpression}, so
 * they read arguments as Jackson nodes.
 */
final class MedTechFunctions {
  private MedTechFunctions() {}

  static Function[] all() {
    return new Function[] {
      // Java's long arithmetic wraps around exactly as .NET's unchecked long does.
      new Arithmetic("add", (a, b) -> a + b, Double::sum),
      new Arithmetic("subtract", (a, b) -> a - b, (a, b) -> a - b),
      new Arithmetic("multiply", (a, b) -> a * b, (a, b) -> a * b),
      new Arithmetic("divide", MedTechFunctions::divideLongs, MedTechFunctions::divideDoubles),
      new Arithmetic("pow", MedTechFunctions::powLongs, Math::pow),
      new InsertString(),
      new FromUnixTimestamp("fromUnixTimestamp", 1000),
      new FromUnixTimestamp("fromUnixTimestampMs", 1),
    };
  }

  /** The JSON type each argument position accepts. */
  enum ArgType {
    NUMBER("a number"),
    INTEGER("an integer"),
    STRING("a string");

    final String description;

    ArgType(String description) {
      this.description = description;
    }
  }

  /** A custom function with a typed signature, checked for literals at compile time too. */
  abstract static class MedTechFunction extends BaseFunction {
    private final ArgType[] signature;
    private final String[] argumentNames;

    MedTechFunction(String name, ArgType[] signature, String[] argumentNames) {
      super(name, anyValues(signature.length));
      this.signature = signature;
      this.argumentNames = argumentNames;
    }

    private static ArgumentConstraint[] anyValues(int count) {
      ArgumentConstraint[] constraints = new ArgumentConstraint[count];
      Arrays.fill(constraints, ArgumentConstraints.anyValue());
      return constraints;
    }

    /** Checks one argument against the signature; throws naming function and argument. */
    void check(int index, JsonNode value) {
      ArgType type = signature[index];
      boolean ok =
          switch (type) {
            case NUMBER -> value.isNumber();
            case INTEGER -> value.isIntegralNumber();
            case STRING -> value.isTextual();
          };
      if (!ok) {
        throw new JmesPathFunctionException(
            name(), argument(index) + " must be " + type.description + ", got " + describe(value));
      }
      if (value.isIntegralNumber() && !value.canConvertToLong()) {
        throw new JmesPathFunctionException(
            name(), argument(index) + " (" + value + ") is outside the 64-bit integer range");
      }
    }

    String argument(int index) {
      String named = argumentNames[index];
      return "argument " + (index + 1) + (named == null ? "" : " (" + named + ")");
    }

    @Override
    protected final <T> T callFunction(Adapter<T> runtime, List<FunctionArgument<T>> arguments) {
      List<JsonNode> values = new ArrayList<>(arguments.size());
      for (int i = 0; i < arguments.size(); i++) {
        JsonNode value = (JsonNode) arguments.get(i).value();
        check(i, value);
        values.add(value);
      }
      return apply(runtime, values);
    }

    abstract <T> T apply(Adapter<T> runtime, List<JsonNode> arguments);
  }

  private interface LongOp {
    long apply(long a, long b);
  }

  private interface DoubleOp {
    double apply(double a, double b);
  }

  private static long divideLongs(long a, long b) {
    if (b == 0) {
      throw new ArithmeticException("division by zero");
    }
    return a / b;
  }

  private static double divideDoubles(double a, double b) {
    if (b == 0) {
      throw new ArithmeticException("division by zero");
    }
    return a / b;
  }

  /**
   * MedTech's integer {@code pow}: {@code Math.Pow} on doubles, rounded to the nearest integer
   * (half to even, as .NET's conversion does). So a large result is the double's value ({@code
   * pow(3, 39)} is 4052555153018976256, not the exact 4052555153018976267) and a negative exponent
   * rounds ({@code pow(2, -1)} is 0, {@code pow(2, -2)} is 0, {@code pow(1, -3)} is 1).
   */
  private static long powLongs(long base, long exponent) {
    if (base == 0 && exponent < 0) {
      throw new ArithmeticException("zero to the negative power " + exponent);
    }
    double result = Math.rint(Math.pow(base, exponent));
    if (result >= 0x1p63 || result < -0x1p63) {
      throw new ArithmeticException("integer overflow");
    }
    return (long) result;
  }

  /** Two-argument arithmetic with MedTech's integer/float typing. */
  private static final class Arithmetic extends MedTechFunction {
    private final LongOp longOp;
    private final DoubleOp doubleOp;

    Arithmetic(String name, LongOp longOp, DoubleOp doubleOp) {
      super(name, new ArgType[] {ArgType.NUMBER, ArgType.NUMBER}, new String[2]);
      this.longOp = longOp;
      this.doubleOp = doubleOp;
    }

    @Override
    <T> T apply(Adapter<T> runtime, List<JsonNode> arguments) {
      JsonNode a = arguments.get(0);
      JsonNode b = arguments.get(1);
      try {
        if (a.isIntegralNumber() && b.isIntegralNumber()) {
          return runtime.createNumber(longOp.apply(a.longValue(), b.longValue()));
        }
        double result = doubleOp.apply(a.doubleValue(), b.doubleValue());
        if (!Double.isFinite(result)) {
          throw new ArithmeticException("result is not a finite number");
        }
        return runtime.createNumber(result);
      } catch (ArithmeticException e) {
        String reason = e.getMessage() == null ? "overflow" : e.getMessage();
        if (reason.contains("overflow")) {
          reason = "integer overflow";
        }
        throw new JmesPathFunctionException(
            name(), reason + " (arguments " + a + " and " + b + ")");
      }
    }
  }

  /** {@code insertString(original, toInsert, position)}. */
  private static final class InsertString extends MedTechFunction {
    InsertString() {
      super(
          "insertString",
          new ArgType[] {ArgType.STRING, ArgType.STRING, ArgType.INTEGER},
          new String[] {"original", "toInsert", "position"});
    }

    @Override
    <T> T apply(Adapter<T> runtime, List<JsonNode> arguments) {
      String original = arguments.get(0).textValue();
      String toInsert = arguments.get(1).textValue();
      long at = arguments.get(2).longValue();
      if (at < 0 || at > original.length()) {
        throw new JmesPathFunctionException(
            name(),
            argument(2)
                + " is "
                + at
                + ", outside 0.."
                + original.length()
                + " for a string of length "
                + original.length());
      }
      int i = (int) at;
      return runtime.createString(original.substring(0, i) + toInsert + original.substring(i));
    }
  }

  /** {@code fromUnixTimestamp(seconds)} and {@code fromUnixTimestampMs(milliseconds)}. */
  private static final class FromUnixTimestamp extends MedTechFunction {
    private final long millisPerUnit;

    FromUnixTimestamp(String name, long millisPerUnit) {
      super(
          name,
          new ArgType[] {ArgType.INTEGER},
          new String[] {millisPerUnit == 1 ? "milliseconds" : "seconds"});
      this.millisPerUnit = millisPerUnit;
    }

    @Override
    <T> T apply(Adapter<T> runtime, List<JsonNode> arguments) {
      JsonNode value = arguments.get(0);
      try {
        Instant instant =
            Instant.ofEpochMilli(Math.multiplyExact(value.longValue(), millisPerUnit));
        return runtime.createString(Timestamps.format(instant));
      } catch (ArithmeticException | DateTimeException e) {
        throw new JmesPathFunctionException(
            name(), argument(0) + " (" + value + ") is outside the supported time range");
      }
    }
  }

  static String describe(JsonNode n) {
    if (n.isNull() || n.isMissingNode()) {
      return "null (the expression found nothing)";
    }
    String type =
        n.isTextual()
            ? "string"
            : n.isIntegralNumber()
                ? "integer"
                : n.isNumber() ? "float" : n.getNodeType().name().toLowerCase();
    String text = n.toString();
    return type + " " + (text.length() <= 40 ? text : text.substring(0, 37) + "...");
  }
}
