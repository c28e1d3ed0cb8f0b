// bouncediag: the command-line front end. It turns options into a plan, runs it over the
// library and prints; every real failure is caught here and reported once.
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <csignal>
#include <cstdio>

#include "bouncediag/error.h"
#include "cli.h"

namespace {

constexpr const char* k_examples = R"(Examples:
  Paste a reply (finish with Ctrl-D):
    bouncediag
  Diagnose replies given as arguments:
    bouncediag '550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown'
  Pipe a bounce email, an mbox, a maildir or a mail log:
    bouncediag < bounce.eml
    bouncediag ~/Maildir/.Bounces     bouncediag bounces.mbox
    grep status=bounced /var/log/mail.log | bouncediag --format tsv
  Script with JSON lines and exit codes:
    bouncediag --format json bounce.eml | jq -r 'select(.action=="suppress") | .recipient'
  Explain a code, summarise a log, list dead addresses:
    bouncediag explain 5.7.26
    bouncediag summary /var/log/mail.log
    bouncediag suppress bounces.mbox > remove.txt

Exit status: 0 every input diagnosed; 1 some input carried no bounce or no rule explained it;
2 usage error, unreadable input or bad rule file.)";

}  // namespace

int main(int argc, char** argv) {
    // A closed pipe ("| head") shows up as EPIPE on write, handled where we write.
    std::signal(SIGPIPE, SIG_IGN);

    bouncediag::cli::Options options;
    CLI::App app{"bouncediag: tells why an email bounced and what to do about it.", "bouncediag"};
    app.footer(k_examples);
    app.set_version_flag("--version", std::string("bouncediag ") + BOUNCEDIAG_VERSION);
    bouncediag::cli::add_options(app, options);

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp&) {
        std::fputs(app.help().c_str(), stdout);
        return 0;
    } catch (const CLI::CallForAllHelp&) {
        std::fputs(app.help("", CLI::AppFormatMode::All).c_str(), stdout);
        return 0;
    } catch (const CLI::CallForVersion&) {
        std::fputs((std::string("bouncediag ") + BOUNCEDIAG_VERSION + "\n").c_str(), stdout);
        return 0;
    } catch (const CLI::ParseError& e) {
        // CLI11 has exit codes of its own; ours are documented: 2 for usage errors.
        fmt::print(stderr, "bouncediag: {}\nTry 'bouncediag --help' for more information.\n",
                   e.what());
        return 2;
    }

    try {
        return bouncediag::cli::run(app, options);
    } catch (const bouncediag::Error& e) {
        fmt::print(stderr, "bouncediag: {}\n", e.what());
        return 2;
    } catch (const std::exception& e) {
        fmt::print(stderr, "bouncediag: internal error: {}\n", e.what());
        return 2;
    }
}
