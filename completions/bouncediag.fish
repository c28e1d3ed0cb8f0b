# fish completion for bouncediag

set -l commands explain rules summary suppress
set -l types hard soft none unknown
set -l causes bad-address mailbox message spam-content authentication reputation rate-limit \
    blocklist policy greylisting infrastructure protocol none unknown
set -l actions suppress retry slow-down fix-authentication request-delisting \
    improve-reputation reduce-size review-content fix-configuration contact-recipient none
set -l fields input line message recipient original_recipient basic_code enhanced_code text \
    type reason cause action provider receiving_provider blocklist rule matched meaning fix codes_inconsistent \
    remote_host smtp_command format dsn_action dsn_status reporting_mta remote_mta \
    last_attempt_date queue_id timestamp feedback_type original_message_id original_from \
    original_to original_subject original_date

# Completes the last item of a comma-separated list.
function __bouncediag_list
    set -l token (commandline -ct)
    set -l prefix (string replace -r '[^,]*$' '' -- $token)
    for item in $argv
        printf '%s%s\n' $prefix $item
    end
end

function __bouncediag_rule_ids
    set -l cmd (commandline -opc)
    $cmd[1] rules list 2>/dev/null | awk 'NR > 1 { print $1 }'
end

complete -c bouncediag -f

# Subcommands.
complete -c bouncediag -n "not __fish_seen_subcommand_from $commands" -a explain -d 'Explain a reply code'
complete -c bouncediag -n "not __fish_seen_subcommand_from $commands" -a rules -d 'Inspect and check rule tables'
complete -c bouncediag -n "not __fish_seen_subcommand_from $commands" -a summary -d 'Counts by type, cause, reason, action, ...'
complete -c bouncediag -n "not __fish_seen_subcommand_from $commands" -a suppress -d 'Unique dead recipient addresses'
complete -c bouncediag -n "__fish_seen_subcommand_from rules; and not __fish_seen_subcommand_from check list show" -a check -d 'Validate a rule file'
complete -c bouncediag -n "__fish_seen_subcommand_from rules; and not __fish_seen_subcommand_from check list show" -a list -d 'List the rules'
complete -c bouncediag -n "__fish_seen_subcommand_from rules; and not __fish_seen_subcommand_from check list show" -a show -d 'Show one rule'
complete -c bouncediag -n "__fish_seen_subcommand_from show" -a '(__bouncediag_rule_ids)' -d 'Rule id'
complete -c bouncediag -n "__fish_seen_subcommand_from check" -F

# Inputs are files (bounce emails, mbox files, logs) or maildir folders.
complete -c bouncediag -n "not __fish_seen_subcommand_from explain rules" -F

# Options.
complete -c bouncediag -s f -l format -x -a 'text json tsv' -d 'Output format'
complete -c bouncediag -l color -x -a 'auto always never' -d 'Colour the text output'
complete -c bouncediag -l rules -r -F -d 'Use this rule file instead of the built-in table'
complete -c bouncediag -l extra-rules -r -F -d 'Layer this rule file on top of the table'
complete -c bouncediag -l input -x -a 'auto email mbox lines' -d 'What the inputs hold'
complete -c bouncediag -l fields -x -a "(__bouncediag_list $fields)" -d 'TSV columns'
complete -c bouncediag -l type -x -a "(__bouncediag_list $types)" -d 'Only results of these types'
complete -c bouncediag -l cause -x -a "(__bouncediag_list $causes)" -d 'Only results with these causes'
complete -c bouncediag -l action -x -a "(__bouncediag_list $actions)" -d 'Only results with these actions'
complete -c bouncediag -l line-buffered -d 'Write every result at once'
complete -c bouncediag -s q -l quiet -d 'No prompt or progress on stderr'
complete -c bouncediag -s j -x -d 'Inputs read in parallel'
complete -c bouncediag -s h -l help -d 'Print help and exit'
complete -c bouncediag -l version -d 'Print the version and exit'
