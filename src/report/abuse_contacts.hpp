// Free-mail providers and their abuse desks (data/abuse-contacts.toml, docs/abuse-contacts.md):
// whom to tell, in step ⑥, that an account of theirs sends Emotet-style mail.
#pragma once
#include <expected>
#include <string>
#include <string_view>
#include <vector>

namespace emotriage::report {

struct MailProvider {
  std::string name;                  // "Gmail (Google)"
  std::vector<std::string> domains;  // lower case; a sub-domain of one matches too
  std::vector<std::string> brands;   // first label of a registrable domain ("gmx" for gmx.de)
  std::string abuse;                 // web form URL or address
  std::string source;                // where `abuse` comes from
};

struct DataError {
  std::string source;
  std::string message_ja, message_en;
};

class AbuseContacts {
 public:
  static std::expected<AbuseContacts, DataError> parse(std::string_view toml_text,
                                                       std::string_view source_name);
  static std::expected<AbuseContacts, DataError> load(const std::string& path);

  // The provider running this mail domain (or a parent of it), or nullptr.
  const MailProvider* provider_for(std::string_view ascii_domain) const;
  const std::vector<MailProvider>& providers() const { return providers_; }

 private:
  std::vector<MailProvider> providers_;
};

// The project's data folder: $EMOTRIAGE_DATA when set, else the source tree's data/.
std::string builtin_data_dir();

}  // namespace emotriage::report
