#include "app/config_file.h"

#include <cctype>
#include <memory>
#include <string>
#include <vector>

namespace countersign {

namespace {

// CLI11 reads config files on the top-level app only: this TOML reader files every top-level
// key under the `serve` subcommand, whose options they are.
class ServeToml : public CLI::ConfigTOML {
 public:
  std::vector<CLI::ConfigItem> from_config(std::istream& input) const override {
    std::vector<CLI::ConfigItem> items = CLI::ConfigTOML::from_config(input);
    for (CLI::ConfigItem& item : items) {
      if (item.parents.empty()) item.parents = {"serve"};
    }
    return items;
  }
};

std::string EnvName(const std::string& long_name) {
  std::string out = "COUNTERSIGN_";
  for (char c : long_name) {
    out.push_back(c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  return out;
}

}  // namespace

void AddServeConfigSources(CLI::App& cli, CLI::App& serve) {
  for (CLI::Option* option : serve.get_options()) {
    if (option->get_lnames().empty()) continue;
    const std::string& name = option->get_lnames().front();
    if (name == "help") continue;
    if (option->get_envname().empty()) option->envname(EnvName(name));
    if (option->get_type_size_max() > 0) option->capture_default_str();  // flags show none
  }
  cli.config_formatter(std::make_shared<ServeToml>());
  cli.allow_config_extras(CLI::config_extras_mode::error);
  cli.set_config("--config", "",
                 "TOML file with any of these options as `name = value` (e.g. port = 8080, "
                 "data-dir = \"/var/lib/countersign\"); the command line wins over it, and it "
                 "over COUNTERSIGN_* environment variables");
  serve.fallthrough();  // `serve --config FILE` reaches the top-level option
  serve.footer(
      "\nAlso:\n  --config FILE  read options from a TOML file, one `name = value` per line with "
      "the names above\n                 without dashes (port = 8080, data-dir = \"/srv/cs\"); "
      "unknown names are errors\nEvery option can also come from the environment variable "
      "shown (e.g. COUNTERSIGN_SMTP_PASSWORD);\nkeep secrets there, not in the file. The "
      "command line wins over the file, the file over the\nenvironment.");
}

bool ConfigGivenOutsideServe(const CLI::App& cli, const CLI::App& serve) {
  const CLI::Option* config = cli.get_config_ptr();
  return config != nullptr && config->count() > 0 && !serve.parsed();
}

}  // namespace countersign
