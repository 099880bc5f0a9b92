#include "web/server.hpp"

#include <httplib.h>

#include <sys/socket.h>

#include <mutex>
#include <optional>
#include <string_view>

#include "core/text.hpp"
#include "report/json_text.hpp"
#include "web/assets.hpp"

namespace emotriage::web {

namespace {

constexpr std::string_view kCsrfHeader = "X-CSRF-Token";

bool is_api(const httplib::Request& request) {
  return request.path.starts_with("/api/");
}

void send_json(httplib::Response& response, int status, const nlohmann::ordered_json& body) {
  response.status = status;
  response.set_content(body.dump(-1, ' ', false, report::kJsonErrors),
                       "application/json; charset=utf-8");
}

void send(httplib::Response& response, const Answer& answer) {
  send_json(response, answer.status, answer.body);
}

void refuse(httplib::Response& response, int status, std::string_view code, std::string_view ja,
            std::string_view en) {
  send(response, refusal(status, code, ja, en));
}

// The case named in the path (httplib has decoded it), or a refusal.
std::optional<std::string> case_name(const httplib::Request& request, httplib::Response& response) {
  std::string name = request.matches[1].str();
  if (valid_case_name(name)) return name;
  refuse(response, 400, "case-name", "案件名は 1〜100 バイトで、/ \\ と制御文字は使えません。",
         "a case name has 1 to 100 bytes, without / \\ or control characters.");
  return std::nullopt;
}

std::string_view download_type(std::string_view name) {
  if (name.ends_with(".txt")) return "text/plain; charset=utf-8";
  if (name.ends_with(".eml")) return "message/rfc822";
  return "application/octet-stream";  // never rendered by the browser, only saved
}

bool changes_state(const httplib::Request& request) {
  return request.method != "GET" && request.method != "HEAD";
}

report::Lang request_lang(const httplib::Request& request) {
  return request.get_param_value("lang") == "en" ? report::Lang::en : report::Lang::ja;
}

// A browser-safe name for an upload: its file name, bounded (it is data, shown as text).
std::string upload_name(std::string_view filename, std::size_t index) {
  constexpr std::size_t kMaxName = 255;
  if (filename.empty()) return "upload-" + std::to_string(index + 1);
  return std::string(core::utf8_prefix(filename, kMaxName));  // not inside a character
}

}  // namespace

struct Server::Impl {
  ServerOptions options;
  mutable std::mutex analyzer_mutex;
  std::shared_ptr<const Analyzer> current;
  // Held from writing a profile to making it current, so two saves at once end with the file and
  // the analyses on the same profile.
  std::mutex profile_save_mutex;
  CaseApi cases{options.db_path};
  ProfileApi profile{options.profile_path};
  std::string access_token = random_token();
  std::string csrf_token = random_token();
  bool loopback = is_loopback_host(options.listen.host);
  bool token_required = options.always_require_token || !loopback;
  int port = 0;
  httplib::Server http;

  Impl(ServerOptions server_options, std::shared_ptr<const Analyzer> analyzer)
      : options(std::move(server_options)), current(std::move(analyzer)) {}

  // A request keeps the analyzer it started with, even when a new profile replaces it meanwhile.
  std::shared_ptr<const Analyzer> analyzer() const {
    std::lock_guard lock(analyzer_mutex);
    return current;
  }

  // Cookies are not scoped by port: the name carries it, so two servers do not clash.
  std::string session_cookie() const { return "emotriage_session_" + std::to_string(port); }

  bool authenticated(const httplib::Request& request) const {
    if (token_matches(bearer_token(request.get_header_value("Authorization")), access_token)) {
      return true;
    }
    return token_matches(cookie_value(request.get_header_value("Cookie"), session_cookie()),
                         access_token);
  }

  httplib::Server::HandlerResponse guard(const httplib::Request& request,
                                         httplib::Response& response) {
    using enum httplib::Server::HandlerResponse;
    // A compressed body would be inflated past the size limit.
    std::string encoding = request.get_header_value("Content-Encoding");
    if (!encoding.empty() && encoding != "identity") {
      refuse(response, 415, "content-encoding", "圧縮された送信は受け付けません。",
             "compressed request bodies are not accepted.");
      return Handled;
    }
    // The size limit is checked against Content-Length before the body is read; a chunked body
    // has none and would be read whole.
    if (changes_state(request) &&
        (request.has_header("Transfer-Encoding") || !request.has_header("Content-Length"))) {
      refuse(response, 411, "length", "Content-Length のある送信だけを受け付けます。",
             "only requests with a Content-Length are accepted.");
      return Handled;
    }
    if (loopback && !host_header_allowed(request.get_header_value("Host"), port)) {
      refuse(response, 403, "host", "このサーバーには 127.0.0.1 か localhost で接続してください。",
             "connect to this server as 127.0.0.1 or localhost.");
      return Handled;
    }
    if (token_required && !authenticated(request)) {
      // The login link printed at start: the token becomes a cookie and leaves the address bar.
      if (request.method == "GET" && request.path == "/" &&
          token_matches(request.get_param_value("token"), access_token)) {
        response.set_header("Set-Cookie", session_cookie() + "=" + access_token +
                                              "; Path=/; HttpOnly; SameSite=Strict");
        response.set_redirect("/", 303);
        return Handled;
      }
      refuse(response, 401, "token",
             "アクセス トークンが必要です。serve の起動時に表示されたアドレスを開いてください。",
             "an access token is required: open the address serve printed at start.");
      return Handled;
    }
    if (changes_state(request) &&
        (!token_matches(request.get_header_value(std::string(kCsrfHeader)), csrf_token) ||
         !origin_allowed(request.get_header_value("Origin"), request.get_header_value("Host")))) {
      refuse(response, 403, "csrf", "CSRF トークンがないか、一致しません。",
             "the CSRF token is missing or does not match.");
      return Handled;
    }
    return Unhandled;
  }

  void serve_asset(std::string_view name, httplib::Response& response) {
    const Asset* asset = find_asset(name);
    if (asset == nullptr) {
      response.status = 404;
      return;
    }
    response.set_content(asset->body.data(), asset->body.size(),
                         std::string(content_type(asset->name)).c_str());
  }

  // The files of field `file` (multipart), or a pasted text/plain body; refuses otherwise.
  std::optional<std::vector<Upload>> read_uploads(const httplib::Request& request,
                                                  httplib::Response& response) const {
    std::vector<Upload> uploads;
    if (request.is_multipart_form_data()) {
      auto [first, last] = request.files.equal_range("file");
      for (auto it = first; it != last; ++it) {
        uploads.push_back({upload_name(it->second.filename, uploads.size()), it->second.content});
      }
    } else if (request.get_header_value("Content-Type").starts_with("text/plain")) {
      uploads.push_back({"pasted.eml", request.body});
    } else {
      refuse(response, 415, "content-type",
             "multipart/form-data (欄 file) か text/plain で送ってください。",
             "send multipart/form-data (field file) or text/plain.");
      return std::nullopt;
    }
    if (uploads.empty() || uploads.size() > options.max_files) {
      std::string count = std::to_string(options.max_files);
      refuse(response, 400, "files", "欄 file に 1〜" + count + " 個のファイルを入れてください。",
             "field file must hold 1 to " + count + " files.");
      return std::nullopt;
    }
    return uploads;
  }

  void analyze(const httplib::Request& request, httplib::Response& response) {
    auto uploads = read_uploads(request, response);
    if (uploads) send_json(response, 200, analyzer()->analyze(*uploads, request_lang(request)));
  }

  void upload_to_case(const httplib::Request& request, httplib::Response& response) {
    auto name = case_name(request, response);
    if (!name) return;
    auto uploads = read_uploads(request, response);
    if (uploads) send(response, cases.upload(*name, *uploads, *analyzer(), request_lang(request)));
  }

  void set_item(const httplib::Request& request, httplib::Response& response) {
    auto name = case_name(request, response);
    if (!name) return;
    auto change = nlohmann::json::parse(request.body, nullptr, false);
    if (change.is_discarded()) {
      refuse(response, 400, "body", "JSON のオブジェクトで送ってください。", "send a JSON object.");
      return;
    }
    send(response, cases.set_item(*name, change));
  }

  void download_notice(const httplib::Request& request, httplib::Response& response) {
    auto name = case_name(request, response);
    if (!name) return;
    Answer refused;
    auto file = cases.notice_file(*name, request.matches[2].str(), *analyzer(), refused);
    if (!file) {
      send(response, refused);
      return;
    }
    // The name is one render_notices made ([a-z0-9.-]): safe inside the quotes as it is.
    response.set_header("Content-Disposition", "attachment; filename=\"" + file->name + "\"");
    response.set_content(file->bytes, std::string(download_type(file->name)));
  }

  // POST /api/logs, POST /api/cases/NAME/logs.
  void upload_logs(const httplib::Request& request, httplib::Response& response, bool into_case) {
    std::optional<std::string> name = std::string();
    if (into_case && !(name = case_name(request, response))) return;
    if (!request.is_multipart_form_data()) {
      refuse(response, 415, "content-type", "multipart/form-data (欄 file) で送ってください。",
             "send multipart/form-data (field file).");
      return;
    }
    auto uploads = read_uploads(request, response);
    if (uploads) send(response, cases.logs(*name, *uploads, *analyzer(), request_lang(request)));
  }

  // PUT /api/profile: the TOML (text/plain) or the form's data (application/json).
  void save_profile(const httplib::Request& request, httplib::Response& response) {
    const std::string type = request.get_header_value("Content-Type");
    std::lock_guard saving(profile_save_mutex);
    std::expected<profile::Profile, Answer> saved;
    if (type.starts_with("text/plain")) {
      saved = profile.save(request.body);
    } else if (type.starts_with("application/json")) {
      saved = profile.save_form(nlohmann::json::parse(request.body, nullptr, false));
    } else {
      refuse(response, 415, "content-type",
             "プロファイルを TOML (text/plain) か JSON (application/json) で送ってください。",
             "send the profile as TOML (text/plain) or JSON (application/json).");
      return;
    }
    if (!saved) {
      send(response, saved.error());
      return;
    }
    // Later analyses use the new profile; requests under way finish with the old one.
    std::shared_ptr<const Analyzer> next = analyzer()->with_profile(std::move(*saved));
    {
      std::lock_guard lock(analyzer_mutex);
      current = std::move(next);
    }
    send(response, profile.view());
  }

  void import_users(const httplib::Request& request, httplib::Response& response) {
    if (!request.is_multipart_form_data() || !request.has_file("file")) {
      refuse(response, 400, "files", "欄 file に CSV を 1 つ入れてください。",
             "field file must hold one CSV.");
      return;
    }
    send(response, profile.import_users(request.get_file_value("file").content,
                                        request.get_file_value("toml").content));
  }

  void route() {
    httplib::Headers headers;
    for (const auto& [name, value] : security_headers()) headers.emplace(name, value);
    http.set_default_headers(std::move(headers));
    // httplib's default options set SO_REUSEPORT (Debian's 0.11), with which a second server
    // binds the same port and the kernel splits the requests between the two. SO_REUSEADDR
    // alone still allows a restart over connections in TIME_WAIT, yet a taken port fails bind.
    http.set_socket_options([](socket_t socket) {
      int yes = 1;
      setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    });
    http.set_payload_max_length(options.max_request_bytes);
    http.set_pre_routing_handler(
        [this](const httplib::Request& request, httplib::Response& response) {
          return guard(request, response);
        });
    http.Get("/", [this](const httplib::Request&, httplib::Response& response) {
      serve_asset("index.html", response);
    });
    // Only names of the embedded table: no slash, no dot-dot, no filesystem.
    http.Get(R"(/assets/([A-Za-z0-9_-]+\.[a-z]+))",
             [this](const httplib::Request& request, httplib::Response& response) {
               serve_asset(request.matches[1].str(), response);
             });
    http.Get("/api/session", [this](const httplib::Request&, httplib::Response& response) {
      send_json(response, 200,
                {{"version", EMOTRIAGE_VERSION},
                 {"csrf_token", csrf_token},
                 {"token_required", token_required},
                 {"max_request_bytes", options.max_request_bytes},
                 {"max_files", options.max_files},
                 {"profile_editable", !options.profile_path.empty()}});
    });
    using Request = const httplib::Request&;
    using Response = httplib::Response&;
    http.Post("/api/analyze",
              [this](Request request, Response response) { analyze(request, response); });
    http.Get("/api/cases", [this](Request, Response response) { send(response, cases.list()); });
    http.Get(R"(/api/cases/([^/]+))", [this](Request request, Response response) {
      if (auto name = case_name(request, response))
        send(response, cases.page(*name, *analyzer(), request_lang(request)));
    });
    http.Post(R"(/api/cases/([^/]+)/mails)",
              [this](Request request, Response response) { upload_to_case(request, response); });
    http.Patch(R"(/api/cases/([^/]+)/items)",
               [this](Request request, Response response) { set_item(request, response); });
    http.Get(R"(/api/cases/([^/]+)/notices)", [this](Request request, Response response) {
      if (auto name = case_name(request, response))
        send(response, cases.notices(*name, *analyzer(), request_lang(request)));
    });
    http.Get(R"(/api/cases/([^/]+)/notices/([^/]+))",
             [this](Request request, Response response) { download_notice(request, response); });
    http.Post(R"(/api/cases/([^/]+)/logs)",
              [this](Request request, Response response) { upload_logs(request, response, true); });
    http.Post("/api/logs", [this](Request request, Response response) {
      upload_logs(request, response, false);
    });
    http.Get("/api/profile",
             [this](Request, Response response) { send(response, profile.view()); });
    http.Put("/api/profile",
             [this](Request request, Response response) { save_profile(request, response); });
    http.Post("/api/profile/import-users",
              [this](Request request, Response response) { import_users(request, response); });
    http.set_error_handler([](const httplib::Request& request, httplib::Response& response) {
      if (!response.body.empty()) return;
      if (response.status == 413) {
        refuse(response, 413, "too-large", "送信が大きすぎます。", "the request is too large.");
      } else if (is_api(request) || response.status != 404) {
        refuse(response, response.status, "status-" + std::to_string(response.status),
               "要求を処理できません。", "the request cannot be served.");
      } else {
        response.set_content("not found", "text/plain; charset=utf-8");
      }
    });
    http.set_exception_handler(
        [](const httplib::Request&, httplib::Response& response, std::exception_ptr) {
          refuse(response, 500, "internal", "内部エラーです。", "internal error.");
        });
  }
};

Server::Server(ServerOptions options, std::shared_ptr<const Analyzer> analyzer)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(analyzer))) {
  impl_->route();
}

Server::~Server() = default;

std::expected<void, std::string> Server::bind() {
  const auto& listen = impl_->options.listen;
  if (listen.port == 0) {
    impl_->port = impl_->http.bind_to_any_port(listen.host);
    if (impl_->port > 0) return {};
  } else if (impl_->http.bind_to_port(listen.host, listen.port)) {
    impl_->port = listen.port;
    return {};
  }
  return std::unexpected(listen.host + ":" + std::to_string(listen.port));
}

int Server::port() const {
  return impl_->port;
}
bool Server::token_required() const {
  return impl_->token_required;
}
const std::string& Server::access_token() const {
  return impl_->access_token;
}

std::string Server::url() const {
  const std::string& host = impl_->options.listen.host;
  std::string authority = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  std::string address = "http://" + authority + ":" + std::to_string(impl_->port) + "/";
  return impl_->token_required ? address + "?token=" + impl_->access_token : address;
}

void Server::run() {
  impl_->http.listen_after_bind();
}
void Server::stop() {
  impl_->http.stop();
}

}  // namespace emotriage::web
