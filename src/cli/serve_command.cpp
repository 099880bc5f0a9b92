#include "cli/serve_command.hpp"

#include <pthread.h>
#include <signal.h>

#include <iostream>
#include <memory>
#include <thread>

#include "cli/case_command.hpp"
#include "cli/output.hpp"
#include "web/server.hpp"

namespace emotriage::cli {

namespace {

struct ServeOptions {
  std::string listen = "127.0.0.1:8080";
  std::string profile;
  std::string db;
  std::string lang;
  std::vector<std::string> yara_dirs;
  bool require_token = false;
  std::size_t max_upload_mb = 64;
};

int run_serve(const ServeOptions& options) {
  const report::Lang lang = language_from(options.lang);
  auto listen = web::parse_listen(options.listen);
  if (!listen) {
    std::cerr << "emotriage: "
              << neutralize_controls(lang == report::Lang::ja ? listen.error().message_ja
                                                              : listen.error().message_en)
              << "\n";
    return 2;
  }
  web::AnalyzerSetup setup;
  if (!load_company_profile(options.profile, lang, setup.profile)) return 2;
  if (!load_yara_rules(options.yara_dirs, true, lang, setup.yara)) return 2;
  setup.contacts = load_abuse_contacts(lang);

  web::ServerOptions server_options;
  server_options.listen = *listen;
  server_options.always_require_token = options.require_token;
  server_options.max_request_bytes = options.max_upload_mb << 20;
  server_options.profile_path = options.profile;
  auto db = ledger_path(options.db, lang);
  if (!db) return 2;
  server_options.db_path = *db;
  if (auto opened = web::CaseApi(*db).open_ledger(); !opened) {
    std::cerr << "emotriage: "
              << report::pick(lang, "案件台帳を開けません: ", "cannot open the case ledger: ")
              << neutralize_controls(opened.error()) << "\n";
    return 2;
  }
  web::Server server(server_options, std::make_shared<const web::Analyzer>(std::move(setup)));

  // SIGINT/SIGTERM are taken by one thread that stops the server; every other thread (the
  // server's workers inherit this mask) never sees them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  if (auto bound = server.bind(); !bound) {
    std::cerr << "emotriage: " << report::pick(lang, "待ち受けできません: ", "cannot listen on ")
              << neutralize_controls(bound.error()) << "\n";
    return 2;
  }
  std::cout << "emotriage serve: " << server.url() << "\n"
            << report::pick(lang, "ブラウザーでこのアドレスを開いてください。終了は Ctrl+C です。",
                            "open this address in a browser; Ctrl+C stops the server.")
            << "\n";
  if (!web::is_loopback_host(listen->host)) {
    std::cout << report::pick(lang,
                              "注意: このコンピューターの外からも接続できます。アクセス トークンを"
                              "知らせてよい人にだけ、このアドレスを伝えてください。",
                              "note: other computers can connect; give this address (it holds "
                              "the access token) only to people who may use it.")
              << "\n";
  }
  std::cout.flush();
  std::thread stopper([&server, signals] {
    int received = 0;
    sigwait(&signals, &received);
    server.stop();
  });
  server.run();
  // run() also ends when the listening socket fails: wake the stopper so it can be joined.
  pthread_kill(stopper.native_handle(), SIGTERM);
  stopper.join();
  return 0;
}

}  // namespace

void add_serve_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<ServeOptions>();
  auto* command = app.add_subcommand(
      "serve", "Local web UI: upload mail, read verdict and steps / ブラウザーで使う画面");
  command->add_option(
      "--listen", options->listen,
      "HOST:PORT (default 127.0.0.1:8080; port 0: any free one) / 待ち受けアドレス");
  command
      ->add_option("--profile", options->profile,
                   "company profile (TOML); the page edits it / 会社プロファイル (画面で編集可)")
      ->check(CLI::ExistingFile);
  command->add_option("--db", options->db,
                      "case ledger (default: EMOTRIAGE_DB, else the XDG data folder) / 案件台帳");
  add_lang_option(command, options->lang);
  command
      ->add_option("--yara", options->yara_dirs,
                   "folder of your own YARA rules / 独自の YARA ルールのフォルダー")
      ->check(CLI::ExistingDirectory);
  command->add_flag("--require-token", options->require_token,
                    "require the access token on loopback too / ループバックでもトークンを必須に");
  command
      ->add_option("--max-upload-mb", options->max_upload_mb,
                   "largest upload request in MiB (default 64) / 送信の上限 (MiB)")
      ->check(CLI::Range(1, 4096));
  command->callback([options, &exit_code] { exit_code = run_serve(*options); });
}

}  // namespace emotriage::cli
