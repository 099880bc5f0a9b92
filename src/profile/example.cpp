#include "profile/profile.hpp"

namespace emotriage::profile {

namespace {

constexpr std::string_view kExampleJa = R"(# emotriage 会社プロファイル
# 「自社」を知らせるファイルです。送信元アドレスが自社のものか、メール本文に自社の社員名や
# 社名が使われていないかを、ここに書いた内容と照らし合わせて判断します。
# 書式は TOML です。"..." は文字列、[...] は一覧です。確認: emotriage profile check このファイル

[company]
name = "株式会社サンプル商事"           # 会社名（株式会社 などはあってもなくても照合します）
name_en = "Sample Shoji Co., Ltd."     # 英語の会社名（任意）
website = "https://www.sample-shoji.example"   # お知らせを載せるウェブサイト（任意）
# 自社で管理しているメールのドメイン。サブドメインも自社として扱います。
domains = ["sample-shoji.example"]
# 自社の送信メールサーバー: ホスト名、IP アドレス、CIDR（例: 198.51.100.0/28）
mail_servers = ["mail.sample-shoji.example", "192.0.2.25", "198.51.100.0/28"]

[company.contact]                      # お知らせ文に載せる問い合わせ先（任意）
department = "情報システム部"
phone = "03-0000-0000"
email = "security@sample-shoji.example"

# 社員: 1 人に 1 つの [[employees]]。names には漢字・カナ・ローマ字の名前を並べます。
# 全角/半角、カタカナ/ひらがな、空白、姓名の順序、異体字（髙/高 など）の違いは吸収します。
# 社員の一覧は emotriage profile import-users で CSV から取り込めます。
[[employees]]
names = ["山田 太郎", "ヤマダ タロウ", "Taro Yamada"]
emails = ["t.yamada@sample-shoji.example"]
department = "営業部"                   # 部署（任意）

[[employees]]
names = ["鈴木 花子", "スズキ ハナコ", "Hanako Suzuki"]
emails = ["h.suzuki@sample-shoji.example"]

# 取引先: 取引先のドメインをまねた偽ドメインも見つけます。
[[partners]]
name = "取引先株式会社"
domains = ["partner.example"]
contact = "it@partner.example"          # 連絡先（任意）
)";

constexpr std::string_view kExampleEn = R"(# emotriage company profile
# Tells emotriage who "we" are: whether a sender address is ours, and whether a mail uses our
# employees' or our company's names, is judged against what is written here.
# The format is TOML: "..." is a string, [...] a list. Check it with: emotriage profile check FILE

[company]
name = "株式会社サンプル商事"           # company name (matched with or without 株式会社 / Co., Ltd.)
name_en = "Sample Shoji Co., Ltd."     # English name (optional)
website = "https://www.sample-shoji.example"   # where notices are published (optional)
# Mail domains we manage; their subdomains count as ours too.
domains = ["sample-shoji.example"]
# Our outbound mail servers: host names, IP addresses, CIDR ranges (e.g. 198.51.100.0/28)
mail_servers = ["mail.sample-shoji.example", "192.0.2.25", "198.51.100.0/28"]

[company.contact]                      # contact printed in notices (optional)
department = "Information Systems"
phone = "03-0000-0000"
email = "security@sample-shoji.example"

# Employees: one [[employees]] per person; names lists kanji, kana and romaji forms.
# Width, katakana/hiragana, spaces, name order and variant kanji (髙/高 ...) do not matter.
# Import a directory export with: emotriage profile import-users FILE.csv
[[employees]]
names = ["山田 太郎", "ヤマダ タロウ", "Taro Yamada"]
emails = ["t.yamada@sample-shoji.example"]
department = "Sales"                   # department (optional)

[[employees]]
names = ["鈴木 花子", "スズキ ハナコ", "Hanako Suzuki"]
emails = ["h.suzuki@sample-shoji.example"]

# Partners: look-alikes of their domains are detected too.
[[partners]]
name = "取引先株式会社"
domains = ["partner.example"]
contact = "it@partner.example"          # contact (optional)
)";

}  // namespace

std::string example_profile_toml(bool japanese) {
  return std::string(japanese ? kExampleJa : kExampleEn);
}

}  // namespace emotriage::profile
