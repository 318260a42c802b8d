package io.iomt.core.error;

import java.io.Serializable;

/**
 * Where in a mapping a data error was raised: the template and the expression that could not
 * extract or convert what the message held. The mapping debugger points at it; dead letters and
 * logs keep the error's message only.
 *
 * @param mapping {@code "device"} or {@code "fhir"}
 * @param templateIndex 0-based index of the template within its collection, or -1 when unknown
 * @param templateType the template's {@code templateType}, e.g. {@code CalculatedContent}; null
 *     when unknown
 * @param typeName the template's type name; null when unknown
 * @param field the expression's field in MedTech's spelling, e.g. {@code DeviceIdExpression}, or a
 *     value's name; null when the error is about the template as a whole
 * @param expression the expression's text as written in the mapping; null when there is none
 * @param line 1-based line of the expression (or the template) in the mapping file, 0 when unknown
 * @param column 1-based column, 0 when unknown
 */
public record ErrorOrigin(
    String mapping,
    int templateIndex,
    String templateType,
    String typeName,
    String field,
    String expression,
    int line,
    int column)
    implements Serializable {
  private static final long serialVersionUID = 1L;
}
