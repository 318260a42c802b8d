/**
 * A small reader of Bicep for structural tests of the templates in {@code deploy/azure}: a lexer
 * and parser of the subset the templates use, a check that every name used is declared, a check of
 * module calls against the modules' params, and an evaluator of what is known before deployment. No
 * Bicep compiler runs where this project is built, so this is what checks the templates; it does
 * not type-check them against Azure's resource schemas.
 */
package io.iomt.deploy.bicep;
