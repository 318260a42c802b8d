/**
 * JMESPath for CalculatedContent templates: the io.burt jmespath-jackson library (spec-compliant,
 * compiled expressions, Jackson trees) extended with MedTech's eight custom functions ({@code add},
 * {@code subtract}, {@code multiply}, {@code divide}, {@code pow}, {@code insertString}, {@code
 * fromUnixTimestamp}, {@code fromUnixTimestampMs}) with MedTech's integer/float arithmetic.
 */
package io.iomt.core.jmespath;
