// Where the options of `countersign serve` come from besides the command line (issue 17):
//   --config FILE   a TOML file whose top-level keys are the long option names without the
//                   dashes, e.g. `port = 8080`, `data-dir = "/var/lib/countersign"`,
//                   `fast-password-hashing = false` (a [serve] table works too). An unknown key
//                   is an error, so a typo does not go unnoticed.
//   COUNTERSIGN_<NAME>  an environment variable per option (--smtp-password:
//                   COUNTERSIGN_SMTP_PASSWORD), the place for secrets (the database URL with
//                   its password, the SMTP password): they stay out of files and of `ps`.
// Precedence: the command line, then the file, then the environment, then the defaults.
// Also makes `countersign serve --help` show every option's default.
#pragma once

#include <CLI/CLI.hpp>

namespace countersign {

// Call once every option of `serve` (a subcommand of `cli`) is added.
void AddServeConfigSources(CLI::App& cli, CLI::App& serve);

// After parsing: true when --config was given to a command other than serve.
bool ConfigGivenOutsideServe(const CLI::App& cli, const CLI::App& serve);

}  // namespace countersign
