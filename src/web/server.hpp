// `emotriage serve`: the local web UI over HTTP (cpp-httplib). The security model (docs/web.md)
// is enforced before any route runs: Host check on loopback, access token where required, CSRF
// token and same Origin on every state-changing request, strict headers on every response.
#pragma once
#include <cstddef>
#include <expected>
#include <memory>
#include <string>

#include "web/analyzer.hpp"
#include "web/case_api.hpp"
#include "web/profile_api.hpp"
#include "web/security.hpp"

namespace emotriage::web {

struct ServerOptions {
  ListenAddress listen{"127.0.0.1", 8080};
  // The token is always required on a non-loopback address; this requires it on loopback too.
  bool always_require_token = false;
  std::size_t max_request_bytes = 64u << 20;  // the whole upload request
  std::size_t max_files = 100;                // files of one upload
  std::string db_path;                        // the case ledger (SQLite)
  std::string profile_path;  // the profile file the page edits; empty: not editable
};

class Server {
 public:
  // The analyzer is replaced when the page saves a new profile.
  Server(ServerOptions options, std::shared_ptr<const Analyzer> analyzer);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds the address (port 0: any free port); the error is the OS's reason.
  std::expected<void, std::string> bind();
  int port() const;
  bool token_required() const;
  const std::string& access_token() const;
  // The address to open in a browser (with ?token= when the token is required).
  std::string url() const;
  // Serves until stop() (from another thread).
  void run();
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace emotriage::web
