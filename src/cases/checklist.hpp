// The procedure as a checklist: which items a case has, derived from the analyses stored in it,
// and what each item is called in ja and en.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "cases/store.hpp"
#include "profile/profile.hpp"
#include "report/lang.hpp"
#include "verdict/analysis.hpp"

namespace emotriage::cases {

// Items every case has from its creation: ③ ④ and "closed".
std::vector<ItemSpec> base_items();

// What one mail read (and the mails attached to it) brings into a case: the original bytes
// (Message::raw), the analyses as the JSON contract in both languages, and the checklist items
// its facts call for. The targets come from report::Campaign over this mail alone, so the case
// and `analyze` agree on who is to be reset, contacted and checked (profile: partners in threads).
NewMail mail_from_analysis(const verdict::Analysis& analysis,
                           const profile::Profile* profile = nullptr);

// What mail-server logs bring into a case: ⑤ items for each account the campaign (with the logs
// added, `report::Campaign::add_logs`) has to reset, and "logs checked", done by emotriage.
std::vector<ItemSpec> items_from_logs(const nlohmann::ordered_json& campaign);

// The item's name for a person: "⑤ Reset the mailbox password: t.yamada@…".
std::string item_label(const Item& item, report::Lang lang);
std::string_view status_label(Status status, report::Lang lang);

}  // namespace emotriage::cases
