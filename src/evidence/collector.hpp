// Internal to the evidence module: the state one collect() call fills, shared by the identity
// and content passes.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "core/finding.hpp"
#include "core/message.hpp"
#include "evidence/evidence.hpp"
#include "profile/matcher.hpp"

namespace emotriage::evidence {

class Collector {
 public:
  Collector(const core::Message& message, const profile::Matcher& matcher, Evidence& evidence)
      : message_(message), matcher_(matcher), evidence_(evidence) {}

  // From/Reply-To/Sender/Return-Path/Message-ID, display name against the profile.
  void identity();
  // Received chain, Authentication-Results, Date against the route.
  void routing();
  // Subject prefixes, quoted thread, employees and company in the text, lure words,
  // passwords, URLs.
  void content();
  // An inline forward in one of the top message's bodies (folded text): its sender, date and
  // subject, the sender matched against the profile; forward.inline. True when one was found.
  bool inline_forward(std::string_view folded, const std::string& part, bool forward_subject);

  void add(std::string_view id, core::Severity severity, std::string ja, std::string en,
           std::string evidence_text, std::string part = {});
  // Also into the inline forward's own references when the hit is inside the forwarded mail.
  void reference(int employee, std::string_view where, bool in_inline_forward = false);
  std::string employee_label(int employee) const;
  // A person written in a quote or header block: the employee whose address it is, else the one
  // employee its display name names.
  std::optional<int> employee_of(std::string_view address, std::string_view display_name)
      const;  // "山田 太郎 (t.yamada@x.example)"
  // The sender is one of ours by address and the mail did not visibly come from outside:
  // our names in its text are then ordinary.
  bool sender_is_ours() const;

  const core::Message& message() const { return message_; }
  const profile::Matcher& matcher() const { return matcher_; }
  Evidence& evidence() { return evidence_; }

 private:
  const core::Message& message_;
  const profile::Matcher& matcher_;
  Evidence& evidence_;
  bool findings_capped_ = false;
};

std::string from_line(const core::Envelope& envelope);  // raw "From: ..." for the evidence

}  // namespace emotriage::evidence
