// The CLI's options and the commands that run them (main.cpp parses, these run).
#pragma once

#include <CLI/CLI.hpp>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

namespace bouncediag::cli {

// The number of cores, at least 1.
inline unsigned default_jobs() {
    return std::max(1u, std::thread::hardware_concurrency());
}

struct Options {
    std::vector<std::string> inputs;  // replies or files (default command)
    std::string format = "text";
    std::string color = "auto";
    std::string rules_file;
    std::vector<std::string> extra_rules;
    std::string input_mode = "auto";
    std::vector<std::string> fields;
    std::vector<std::string> types;
    std::vector<std::string> causes;
    std::vector<std::string> actions;
    bool line_buffered = false;
    bool quiet = false;
    unsigned jobs = default_jobs();

    // Subcommands.
    std::vector<std::string> explain_codes;
    std::string rules_file_to_check;
    std::string rule_id;
    std::vector<std::string> summary_inputs;
    std::vector<std::string> suppress_inputs;
};

void add_options(CLI::App& app, Options& options);

// Runs the parsed command; returns the exit status. Throws bouncediag::Error.
int run(const CLI::App& app, const Options& options);

}  // namespace bouncediag::cli
