/**
 * The web console's data API, {@code /api/console/**}: the mapping debugger (validate and test
 * mappings as the engine runs them), the connectors' status and history, and the dead letters
 * (browse, replay). Every endpoint needs the management API's authentication (reader for GET,
 * contributor for the rest); no answer ever holds a secret (keys, tokens, connection strings,
 * passwords in URLs). The page itself is static, under {@code /console/} (resources {@code
 * static/console/}), and talks only to these endpoints and the management API. The contract is in
 * docs/console.md.
 */
package io.iomt.service.console;
