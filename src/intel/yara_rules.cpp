// YARA matching (libyara 4.x). Rules are compiled once from the project's rules/ and the user's
// --yara directories; each scan uses its own YR_SCANNER, so one compiled rule set serves every
// thread of a batch or a mail filter.
#include <yara.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

#include "core/content_cache.hpp"
#include "core/text.hpp"
#include "intel/intel.hpp"

namespace emotriage::intel {

namespace {

// A per-object budget well inside the per-message one (Limits::message_millis, 20 s): rules
// with slow regular expressions or loops must not stall a batch on one attachment.
constexpr int kScanTimeoutSeconds = 5;
// The rules of one directory tree are what the user put there; deeper trees are a mistake.
constexpr std::size_t kMaxRuleFiles = 10000;
// Scan results remembered by SHA-256 (core/content_cache.hpp).
constexpr std::size_t kCachedResults = 20000;

std::once_flag yara_init_once;
int yara_init_status = ERROR_SUCCESS;

// libyara keeps process-wide tables; they are set up once and live until exit, because rule
// sets may be destroyed in any order by any thread.
bool ensure_yara_initialized() {
  std::call_once(yara_init_once, [] { yara_init_status = yr_initialize(); });
  return yara_init_status == ERROR_SUCCESS;
}

struct CompileContext {
  std::vector<std::string> errors;  // "file:line: message"
  std::filesystem::path root;       // includes must stay inside this directory
};

void collect_compiler_message(int error_level, const char* file_name, int line_number,
                              const YR_RULE*, const char* message, void* user_data) {
  if (error_level != YARA_ERROR_LEVEL_ERROR) return;
  auto* context = static_cast<CompileContext*>(user_data);
  context->errors.push_back(std::string(file_name ? file_name : "(rules)") + ":" +
                            std::to_string(line_number) + ": " + (message ? message : ""));
}

// `include "x.yar"` is resolved next to the including file and refused outside the rules
// directory, so a rule file cannot pull arbitrary files into the compiler.
const char* resolve_include(const char* include_name, const char* calling_file, const char*,
                            void* user_data) {
  auto* context = static_cast<CompileContext*>(user_data);
  std::error_code error;
  std::filesystem::path base =
      calling_file ? std::filesystem::path(calling_file).parent_path() : context->root;
  std::filesystem::path target = std::filesystem::weakly_canonical(base / include_name, error);
  if (error) return nullptr;
  auto [root_end, unused] = std::ranges::mismatch(context->root, target);
  if (root_end != context->root.end()) return nullptr;
  std::ifstream in(target, std::ios::binary);
  if (!in) return nullptr;
  std::ostringstream text;
  text << in.rdbuf();
  return strdup(text.str().c_str());
}

void free_include(const char* text, void*) {
  std::free(const_cast<char*>(text));
}

std::vector<std::filesystem::path> rule_files(const std::filesystem::path& dir,
                                              std::string& error) {
  std::vector<std::filesystem::path> files;
  std::error_code code;
  std::filesystem::recursive_directory_iterator it(dir, code), end;
  if (code) {
    error = code.message();
    return files;
  }
  for (; it != end; it.increment(code)) {
    if (code) {
      error = code.message();
      return files;
    }
    std::string extension = core::ascii_lower(it->path().extension().string());
    if (it->is_regular_file() && (extension == ".yar" || extension == ".yara")) {
      if (files.size() == kMaxRuleFiles) {
        error = "more than " + std::to_string(kMaxRuleFiles) + " rule files";
        return files;
      }
      files.push_back(it->path());
    }
  }
  std::ranges::sort(files);  // stable order: namespaces and error reports do not depend on readdir
  return files;
}

core::Severity severity_from_meta(std::string_view value) {
  std::string lowered = core::ascii_lower(value);
  if (lowered == "high" || lowered == "critical") return core::Severity::high;
  if (lowered == "low") return core::Severity::low;
  if (lowered == "info") return core::Severity::info;
  return core::Severity::medium;
}

// What one scan of some bytes gave: the rules that matched and how the scan ended. It depends on
// the bytes alone, so it is kept by their SHA-256 and turned into findings for each object.
struct ScanResult {
  std::vector<const YR_RULE*> matched;  // owned by the compiled rule set, which outlives it
  int status = ERROR_SUCCESS;
};

core::Finding match_finding(const YR_RULE* rule, const core::Attachment& node) {
  std::string name = rule->identifier;
  std::string description_en, description_ja;
  core::Severity severity = core::Severity::medium;
  const YR_META* meta = nullptr;
  yr_rule_metas_foreach(rule, meta) {
    if (meta->type != META_TYPE_STRING || meta->string == nullptr) continue;
    std::string_view key = meta->identifier;
    if (key == "severity") severity = severity_from_meta(meta->string);
    if (key == "description") description_en = meta->string;
    if (key == "description_ja") description_ja = meta->string;
  }
  std::string tags;
  const char* tag = nullptr;
  yr_rule_tags_foreach(rule, tag) {
    tags += (tags.empty() ? "" : " ") + std::string(tag);
  }
  if (description_ja.empty()) description_ja = description_en;

  std::string evidence = node.path + ": " + rule->ns->name + ":" + name;
  if (!tags.empty()) evidence += " [" + tags + "]";
  std::string repaired_ja, repaired_en, repaired_evidence;
  // Rule files are user input: their text reaches the report only as valid UTF-8.
  core::repair_utf8(description_ja, repaired_ja);
  core::repair_utf8(description_en, repaired_en);
  core::repair_utf8(evidence, repaired_evidence);
  return core::Finding{
      "yara.match",
      severity,
      "YARA ルール " + name + " に一致しました" + (repaired_ja.empty() ? "" : ": " + repaired_ja),
      "YARA rule " + name + " matched" + (repaired_en.empty() ? "" : ": " + repaired_en),
      repaired_evidence,
      node.part};
}

int on_scan_message(YR_SCAN_CONTEXT*, int message, void* message_data, void* user_data) {
  if (message == CALLBACK_MSG_RULE_MATCHING) {
    static_cast<ScanResult*>(user_data)->matched.push_back(
        static_cast<const YR_RULE*>(message_data));
  }
  return CALLBACK_CONTINUE;
}

void add_findings(const ScanResult& result, const core::Attachment& node,
                  std::vector<core::Finding>& findings) {
  for (const YR_RULE* rule : result.matched) findings.push_back(match_finding(rule, node));
  if (result.status == ERROR_SCAN_TIMEOUT) {
    findings.push_back(core::limit_finding("yara_scan_seconds", kScanTimeoutSeconds, node.part));
  } else if (result.status != ERROR_SUCCESS) {
    findings.push_back(core::Finding{
        std::string(core::kParseCrashed), core::Severity::medium,
        "YARA スキャンがエラーで止まりました (コード " + std::to_string(result.status) + ")",
        "the YARA scan stopped with error " + std::to_string(result.status), node.path, node.part});
  }
}

}  // namespace

std::string builtin_rules_dir() {
  if (const char* env = std::getenv("EMOTRIAGE_RULES"); env != nullptr && *env != '\0') return env;
  return EMOTRIAGE_RULES_DIR;
}

struct YaraRules::Impl {
  YR_RULES* rules = nullptr;
  std::size_t count = 0;
  // About 100 bytes an entry: a few MB at most, whatever the mailbox.
  core::ContentCache<ScanResult> results{kCachedResults};
  ~Impl() {
    if (rules) yr_rules_destroy(rules);
  }
};

YaraRules::YaraRules() : impl_(std::make_unique<Impl>()) {}
YaraRules::~YaraRules() = default;
YaraRules::YaraRules(YaraRules&&) noexcept = default;
YaraRules& YaraRules::operator=(YaraRules&&) noexcept = default;

std::expected<YaraRules, LoadError> YaraRules::load(const std::vector<std::string>& rule_dirs) {
  if (!ensure_yara_initialized()) {
    return std::unexpected(LoadError{"libyara", "YARA ライブラリを初期化できませんでした",
                                     "libyara could not be initialised"});
  }
  YR_COMPILER* compiler = nullptr;
  if (yr_compiler_create(&compiler) != ERROR_SUCCESS) {
    return std::unexpected(LoadError{"libyara",
                                     "YARA コンパイラを作成できませんでした (メモリ不足)",
                                     "could not create the YARA compiler (out of memory)"});
  }
  std::unique_ptr<YR_COMPILER, void (*)(YR_COMPILER*)> owned(compiler, yr_compiler_destroy);
  CompileContext context;
  yr_compiler_set_callback(compiler, collect_compiler_message, &context);
  yr_compiler_set_include_callback(compiler, resolve_include, free_include, &context);

  for (std::size_t dir_index = 0; dir_index < rule_dirs.size(); ++dir_index) {
    const std::string& dir = rule_dirs[dir_index];
    std::string error;
    std::vector<std::filesystem::path> files = rule_files(dir, error);
    if (!error.empty()) {
      return std::unexpected(LoadError{dir, "YARA ルールのフォルダーを読めません: " + error,
                                       "cannot read the YARA rule folder: " + error});
    }
    std::error_code canonical_error;
    context.root = std::filesystem::weakly_canonical(dir, canonical_error);
    if (context.root.filename().empty()) context.root = context.root.parent_path();
    for (const std::filesystem::path& file : files) {
      FILE* stream = std::fopen(file.c_str(), "rb");
      if (!stream) {
        return std::unexpected(LoadError{file.string(), "YARA ルールファイルを開けません",
                                         "cannot open the YARA rule file"});
      }
      // One namespace per file: two rule sets may reuse a rule name without clashing.
      std::string ns = std::to_string(dir_index) + ":" +
                       std::filesystem::relative(file, dir, canonical_error).string();
      int errors = yr_compiler_add_fd(compiler, fileno(stream), ns.c_str(), file.c_str());
      std::fclose(stream);
      if (errors > 0) {
        // libyara cannot take more rules after an error; report the first one with file:line.
        std::string first = context.errors.empty() ? file.string() : context.errors.front();
        std::string source = first.substr(0, first.find(": "));
        std::string message = first.find(": ") == std::string::npos
                                  ? "syntax error"
                                  : first.substr(first.find(": ") + 2);
        return std::unexpected(LoadError{source, "YARA ルールにエラーがあります: " + message,
                                         "error in a YARA rule: " + message});
      }
    }
  }
  YaraRules rules;
  if (yr_compiler_get_rules(compiler, &rules.impl_->rules) != ERROR_SUCCESS) {
    return std::unexpected(LoadError{"libyara", "YARA ルールを生成できませんでした",
                                     "could not build the YARA rule set"});
  }
  const YR_RULE* rule = nullptr;
  yr_rules_foreach(rules.impl_->rules, rule) {
    ++rules.impl_->count;
  }
  return rules;
}

std::size_t YaraRules::rule_count() const {
  return impl_ ? impl_->count : 0;
}

void YaraRules::scan(std::string_view bytes, const core::Attachment& node,
                     std::vector<core::Finding>& findings) const {
  if (!impl_ || !impl_->rules || impl_->count == 0) return;
  // The node's SHA-256 names these bytes only when they are the whole object.
  const bool whole = !node.sha256.empty() && bytes.size() == node.size;
  if (whole) {
    if (auto cached = impl_->results.find(node.sha256)) {
      add_findings(*cached, node, findings);
      return;
    }
  }
  YR_SCANNER* scanner = nullptr;
  if (yr_scanner_create(impl_->rules, &scanner) != ERROR_SUCCESS) {
    findings.push_back(core::Finding{std::string(core::kParseCrashed), core::Severity::medium,
                                     "YARA スキャンを開始できませんでした",
                                     "the YARA scan could not start", node.path, node.part});
    return;
  }
  std::unique_ptr<YR_SCANNER, void (*)(YR_SCANNER*)> owned(scanner, yr_scanner_destroy);
  ScanResult result;
  yr_scanner_set_callback(scanner, on_scan_message, &result);
  yr_scanner_set_timeout(scanner, kScanTimeoutSeconds);
  yr_scanner_set_flags(scanner, SCAN_FLAGS_FAST_MODE);
  result.status = yr_scanner_scan_mem(scanner, reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                      bytes.size());
  add_findings(result, node, findings);
  // A timeout is not kept: it depends on how busy the machine was, and YARA reports no rule
  // once it has timed out, so keeping it would hide the rules from every later copy.
  if (whole && result.status != ERROR_INSUFFICIENT_MEMORY && result.status != ERROR_SCAN_TIMEOUT) {
    impl_->results.insert(node.sha256, std::move(result));
  }
}

std::uint64_t YaraRules::cached_scans() const {
  return impl_ ? impl_->results.hits() : 0;
}

}  // namespace emotriage::intel
