package io.iomt.core.jmespath;

import com.fasterxml.jackson.databind.JsonNode;
import io.burt.jmespath.Adapter;
import io.burt.jmespath.function.ArgumentConstraints;
import io.burt.jmespath.function.BaseFunction;
import io.burt.jmespath.function.Function;
import io.burt.jmespath.function.FunctionArgument;
import io.iomt.core.measurement.Timestamps;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.List;

/**
 * The eight custom JMESPath functions of MedTech's CalculatedContent templates.
 *
 * <p>Arithmetic follows MedTech: when every argument is an integer the arithmetic is integer
 * (64-bit, {@code divide} truncates toward zero, overflow is an error); when any argument is a
 * float it is floating point. Division by zero is an error in both cases (a measurement cannot hold
 * an infinity). Arguments are typed by their JSON representation: {@code `40`} is an integer,
 * {@code `40.0`} a float, {@code "40"} a string and therefore an error.
 *
 * <p>The functions are registered only on the Jackson runtime of {@link JmesPathExpression}, so
 * they read arguments as Jackson nodes.
 */
final class MedTechFunctions {
  private MedTechFunctions() {}

  static Function[] all() {
    return new Function[] {
      new Arithmetic("add", Math::addExact, Double::sum),
      new Arithmetic("subtract", Math::subtractExact, (a, b) -> a - b),
      new Arithmetic("multiply", Math::multiplyExact, (a, b) -> a * b),
      new Arithmetic("divide", MedTechFunctions::divideLongs, MedTechFunctions::divideDoubles),
      new Arithmetic("pow", MedTechFunctions::powLongs, Math::pow),
      new InsertString(),
      new FromUnixTimestamp("fromUnixTimestamp", 1000),
      new FromUnixTimestamp("fromUnixTimestampMs", 1),
    };
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

  private static long powLongs(long base, long exponent) {
    if (exponent < 0) {
      throw new ArithmeticException(
          "negative exponent " + exponent + " with integer arguments; write the base as a float");
    }
    long result = 1;
    for (long i = 0; i < exponent; i++) {
      result = Math.multiplyExact(result, base);
      if (result == 0 || result == 1 && base == 1) {
        break;
      }
    }
    return result;
  }

  /** Two-argument arithmetic with MedTech's integer/float typing. */
  private static final class Arithmetic extends BaseFunction {
    private final LongOp longOp;
    private final DoubleOp doubleOp;

    Arithmetic(String name, LongOp longOp, DoubleOp doubleOp) {
      super(name, ArgumentConstraints.anyValue(), ArgumentConstraints.anyValue());
      this.longOp = longOp;
      this.doubleOp = doubleOp;
    }

    @Override
    protected <T> T callFunction(Adapter<T> runtime, List<FunctionArgument<T>> arguments) {
      JsonNode a = number(name(), arguments, 0);
      JsonNode b = number(name(), arguments, 1);
      try {
        if (isInteger(a) && isInteger(b)) {
          return runtime.createNumber(longOp.apply(a.longValue(), b.longValue()));
        }
        double result = doubleOp.apply(a.doubleValue(), b.doubleValue());
        if (Double.isInfinite(result) || Double.isNaN(result)) {
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
  private static final class InsertString extends BaseFunction {
    InsertString() {
      super(
          "insertString",
          ArgumentConstraints.anyValue(),
          ArgumentConstraints.anyValue(),
          ArgumentConstraints.anyValue());
    }

    @Override
    protected <T> T callFunction(Adapter<T> runtime, List<FunctionArgument<T>> arguments) {
      String original = text(name(), arguments, 0);
      String toInsert = text(name(), arguments, 1);
      JsonNode position = number(name(), arguments, 2);
      if (!isInteger(position)) {
        throw new JmesPathFunctionException(
            name(), "argument 3 (position) must be an integer, got " + position);
      }
      long at = position.longValue();
      if (at < 0 || at > original.length()) {
        throw new JmesPathFunctionException(
            name(),
            "argument 3 (position) is "
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
  private static final class FromUnixTimestamp extends BaseFunction {
    private final long millisPerUnit;

    FromUnixTimestamp(String name, long millisPerUnit) {
      super(name, ArgumentConstraints.anyValue());
      this.millisPerUnit = millisPerUnit;
    }

    @Override
    protected <T> T callFunction(Adapter<T> runtime, List<FunctionArgument<T>> arguments) {
      JsonNode value = number(name(), arguments, 0);
      if (!isInteger(value)) {
        throw new JmesPathFunctionException(
            name(), "argument 1 must be an integer, got " + describe(value));
      }
      try {
        Instant instant =
            Instant.ofEpochMilli(Math.multiplyExact(value.longValue(), millisPerUnit));
        return runtime.createString(Timestamps.format(instant));
      } catch (ArithmeticException | DateTimeException e) {
        throw new JmesPathFunctionException(
            name(), "argument 1 (" + value + ") is outside the supported time range");
      }
    }
  }

  private static boolean isInteger(JsonNode n) {
    return n.isIntegralNumber() && n.canConvertToLong();
  }

  private static <T> JsonNode number(
      String function, List<FunctionArgument<T>> arguments, int index) {
    JsonNode n = node(arguments, index);
    if (!n.isNumber()) {
      throw new JmesPathFunctionException(
          function, "argument " + (index + 1) + " must be a number, got " + describe(n));
    }
    if (n.isIntegralNumber() && !n.canConvertToLong()) {
      throw new JmesPathFunctionException(
          function, "argument " + (index + 1) + " (" + n + ") is outside the 64-bit integer range");
    }
    return n;
  }

  private static <T> String text(String function, List<FunctionArgument<T>> arguments, int index) {
    JsonNode n = node(arguments, index);
    if (!n.isTextual()) {
      throw new JmesPathFunctionException(
          function, "argument " + (index + 1) + " must be a string, got " + describe(n));
    }
    return n.textValue();
  }

  private static <T> JsonNode node(List<FunctionArgument<T>> arguments, int index) {
    return (JsonNode) arguments.get(index).value();
  }

  private static String describe(JsonNode n) {
    String type =
        n.isNull()
            ? "null"
            : n.isTextual()
                ? "string"
                : n.isIntegralNumber()
                    ? "integer"
                    : n.isNumber() ? "float" : n.getNodeType().name().toLowerCase();
    String text = n.toString();
    return n.isNull() ? "null (the expression found nothing)" : type + " " + abbreviate(text);
  }

  private static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 37) + "...";
  }
}
