# bash completion for bouncediag                                   -*- shell-script -*-

_bouncediag_fields="input line message recipient original_recipient basic_code enhanced_code
text type reason cause action provider receiving_provider blocklist rule matched meaning fix codes_inconsistent
remote_host smtp_command format dsn_action dsn_status reporting_mta remote_mta
last_attempt_date queue_id timestamp feedback_type original_message_id original_from
original_to original_subject original_date"
_bouncediag_types="hard soft none unknown"
_bouncediag_causes="bad-address mailbox message spam-content authentication reputation
rate-limit blocklist policy greylisting infrastructure protocol none unknown"
_bouncediag_actions="suppress retry slow-down fix-authentication request-delisting
improve-reputation reduce-size review-content fix-configuration contact-recipient none"

# Completes one item of a comma-separated list: "hard,so<TAB>" -> "hard,soft".
_bouncediag_list() {
    local cur=$1 words=$2 prefix=""
    if [[ $cur == *,* ]]; then
        prefix=${cur%,*},
        cur=${cur##*,}
    fi
    COMPREPLY=($(compgen -P "$prefix" -W "$words" -- "$cur"))
    compopt -o nospace 2>/dev/null
}

_bouncediag() {
    local cur prev words cword
    _init_completion -s || return

    case $prev in
        -f | --format)
            COMPREPLY=($(compgen -W "text json tsv" -- "$cur"))
            return ;;
        --color)
            COMPREPLY=($(compgen -W "auto always never" -- "$cur"))
            return ;;
        --input)
            COMPREPLY=($(compgen -W "auto email mbox lines" -- "$cur"))
            return ;;
        --rules | --extra-rules)
            _filedir json
            return ;;
        --fields)
            _bouncediag_list "$cur" "$_bouncediag_fields"
            return ;;
        --type)
            _bouncediag_list "$cur" "$_bouncediag_types"
            return ;;
        --cause)
            _bouncediag_list "$cur" "$_bouncediag_causes"
            return ;;
        --action)
            _bouncediag_list "$cur" "$_bouncediag_actions"
            return ;;
        -j)
            COMPREPLY=($(compgen -W "1 2 4 8" -- "$cur"))
            return ;;
        --version | -h | --help)
            return ;;
    esac

    # The command (and, for "rules", its subcommand) given so far.
    local i command="" subcommand=""
    for ((i = 1; i < cword; i++)); do
        case ${words[i]} in
            -f | --format | --color | --input | --rules | --extra-rules | --fields | --type | \
                --cause | --action | -j)
                ((i++)) ;;
            -*) ;;
            *)
                if [[ -z $command ]]; then
                    command=${words[i]}
                elif [[ $command == rules && -z $subcommand ]]; then
                    subcommand=${words[i]}
                fi ;;
        esac
    done

    local options="--format --color --rules --extra-rules --input --fields --type --cause
        --action --line-buffered --quiet -j --help --version"
    case $command in
        explain)
            COMPREPLY=($(compgen -W "--help" -- "$cur"))
            return ;;
        rules)
            case $subcommand in
                "")
                    COMPREPLY=($(compgen -W "check list show --help" -- "$cur")) ;;
                check)
                    _filedir json ;;
                show)
                    local ids
                    ids=$("${words[0]}" rules list 2>/dev/null | awk 'NR > 1 { print $1 }')
                    COMPREPLY=($(compgen -W "$ids" -- "$cur")) ;;
            esac
            return ;;
    esac

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$options" -- "$cur"))
        return
    fi
    if [[ -z $command ]]; then
        COMPREPLY=($(compgen -W "explain rules summary suppress" -- "$cur"))
    fi
    # Inputs: files and maildir folders.
    _filedir
} &&
    complete -F _bouncediag bouncediag

# ex: filetype=sh
