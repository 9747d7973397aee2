#!/usr/bin/env bash
# shellcheck shell=bash
# scripts/lib/wordpress.sh: a real WordPress for the tests (and for trying
# publishing locally). Sourced by scripts/test; also runnable on its own:
#
#   scripts/lib/wordpress.sh start   # prints the export lines, keeps serving
#                                    # until Ctrl-C (then removes the instance)
#
# It uses Debian's packages, installed with apt when missing and running as
# root: `wordpress` (6.x, code in /usr/share/wordpress, configuration looked up
# in /etc/wordpress/config-<name>.php), `php-cli`, `php-mysql`, a default
# theme, and MariaDB on the local socket (root without a password, as
# Debian's mariadb-server sets it up). For each run it creates
#
#   - a database `igny8_wp_<pid>` and /etc/wordpress/config-igny8-<pid>.php
#     (WP_ENVIRONMENT_TYPE=local, so application passwords work over http),
#   - a private wp-content under $REPO/.data/wordpress/<pid>/,
#   - `php -S 127.0.0.1:<free port>` over /usr/share/wordpress with a small
#     router (the Debian config name, and wp-content from the private dir),
#
# installs WordPress through wp-admin/install.php, turns on pretty permalinks,
# copies in and activates the bridge plugin (wordpress/igny8-bridge), creates
# application passwords with WP_Application_Passwords, and exports:
#
#   IGNY8_TEST_WP_URL            http://127.0.0.1:<port>
#   IGNY8_TEST_WP_USER           an administrator
#   IGNY8_TEST_WP_APP_PASSWORD   its application password
#   IGNY8_TEST_WP_SUB_USER       a subscriber (cannot publish)
#   IGNY8_TEST_WP_SUB_PASSWORD   its application password
#   IGNY8_TEST_WP_REQUIRED=1     tests that need WordPress fail when it is missing
#
# Everything it created is removed by igny8_wordpress_cleanup (database,
# config, directory, server). IGNY8_TEST_WP_URL already set: nothing starts.

if [[ -z ${REPO:-} ]]; then
  REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
fi
_IGNY8_WP_PID=""
_IGNY8_WP_NAME=""
_IGNY8_WP_DIR=""
_IGNY8_WP_DB=""
_IGNY8_WP_CLEANED=0

_wp_log() { printf '[wordpress] %s\n' "$*" >&2; }
_wp_die() {
  printf '[wordpress] error: %s\n' "$*" >&2
  exit 1
}

_wp_mysql() { mysql --protocol=socket -uroot "$@"; }

_wp_missing() {
  [[ -f /usr/share/wordpress/wp-settings.php ]] || return 0
  command -v php >/dev/null 2>&1 || return 0
  php -r 'exit(extension_loaded("mysqli") ? 0 : 1);' 2>/dev/null || return 0
  [[ -d /usr/share/wordpress/wp-content/themes/twentytwentythree || -d /var/lib/wordpress/wp-content/themes/twentytwentythree ]] || return 0
  command -v curl >/dev/null 2>&1 || return 0
  return 1
}

_wp_install_packages() {
  local pkgs=(wordpress php-cli php-mysql wordpress-theme-twentytwentythree curl)
  command -v mysql >/dev/null 2>&1 || pkgs+=(mariadb-server)
  if [[ $EUID -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
    _wp_die "WordPress for the tests is missing. Install it: sudo apt-get install -y ${pkgs[*]}"
  fi
  _wp_log "installing with apt-get: ${pkgs[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y --no-install-recommends "${pkgs[@]}" >&2 ||
    { apt-get update >&2 && apt-get install -y --no-install-recommends "${pkgs[@]}" >&2; } ||
    _wp_die "apt-get install ${pkgs[*]} failed (no network?)"
}

_wp_ensure_mariadb() {
  if _wp_mysql -e 'SELECT 1' >/dev/null 2>&1; then return 0; fi
  _wp_log "MariaDB does not answer on its socket; starting it"
  if command -v service >/dev/null 2>&1; then service mariadb start >&2 || true; fi
  local i
  for ((i = 0; i < 100; i++)); do
    _wp_mysql -e 'SELECT 1' >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  _wp_die "MariaDB is not reachable as root over its socket (mysql -uroot)"
}

_wp_free_port() {
  php -r '$s = stream_socket_server("tcp://127.0.0.1:0"); $n = stream_socket_get_name($s, false); echo substr($n, strrpos($n, ":") + 1);'
}

_wp_salt() { head -c 48 /dev/urandom | base64 | tr -d '/+=\n'; }

# Runs PHP code with WordPress loaded (as the instance's host).
_wp_php() {
  local code=$1
  IGNY8_WP_CONFIG_NAME=$_IGNY8_WP_NAME php -d display_errors=stderr -r "
    \$_SERVER['HTTP_HOST'] = '127.0.0.1';
    \$_SERVER['WORDPRESS_CONFIG'] = getenv('IGNY8_WP_CONFIG_NAME');
    \$_SERVER['REQUEST_METHOD'] = 'GET';
    define('WP_ADMIN', true);
    require '/usr/share/wordpress/wp-load.php';
    require_once ABSPATH . 'wp-admin/includes/plugin.php';
    require_once ABSPATH . 'wp-admin/includes/user.php';
    $code"
}

igny8_wordpress_start() {
  if [[ -n ${IGNY8_TEST_WP_URL:-} ]]; then
    _wp_log "using IGNY8_TEST_WP_URL=$IGNY8_TEST_WP_URL"
    return 0
  fi
  if _wp_missing; then _wp_install_packages; fi
  _wp_ensure_mariadb

  _IGNY8_WP_NAME="igny8-$$"
  _IGNY8_WP_DB="igny8_wp_$$"
  _IGNY8_WP_DIR="$REPO/.data/wordpress/$$"
  local port url content config="/etc/wordpress/config-$_IGNY8_WP_NAME.php"
  port=$(_wp_free_port)
  url="http://127.0.0.1:$port"
  content="$_IGNY8_WP_DIR/wp-content"
  mkdir -p "$content/plugins" "$content/themes" "$content/uploads" "$content/languages"
  local theme
  for theme in /usr/share/wordpress/wp-content/themes/twentytwentythree /var/lib/wordpress/wp-content/themes/twentytwentythree; do
    if [[ -d $theme ]]; then
      ln -sfn "$(readlink -f "$theme")" "$content/themes/twentytwentythree"
      break
    fi
  done
  cp -r "$REPO/wordpress/igny8-bridge" "$content/plugins/igny8-bridge"

  _wp_mysql -e "CREATE DATABASE \`$_IGNY8_WP_DB\` CHARACTER SET utf8mb4" ||
    _wp_die "could not create database $_IGNY8_WP_DB"

  mkdir -p /etc/wordpress
  cat >"$config" <<PHP
<?php
// written by igny8 scripts/lib/wordpress.sh for a test run; removed afterwards
define('DB_NAME', '$_IGNY8_WP_DB');
define('DB_USER', 'root');
define('DB_PASSWORD', '');
define('DB_HOST', 'localhost');
define('WP_HOME', '$url');
define('WP_SITEURL', '$url');
define('WP_CONTENT_DIR', '$content');
define('WP_CONTENT_URL', '$url/wp-content');
define('WP_ENVIRONMENT_TYPE', 'local');
define('DISABLE_WP_CRON', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_HTTP_BLOCK_EXTERNAL', true);
define('FS_METHOD', 'direct');
define('AUTH_KEY', '$(_wp_salt)');
define('SECURE_AUTH_KEY', '$(_wp_salt)');
define('LOGGED_IN_KEY', '$(_wp_salt)');
define('NONCE_KEY', '$(_wp_salt)');
define('AUTH_SALT', '$(_wp_salt)');
define('SECURE_AUTH_SALT', '$(_wp_salt)');
define('LOGGED_IN_SALT', '$(_wp_salt)');
define('NONCE_SALT', '$(_wp_salt)');
PHP

  # The router picks the Debian config by name and serves wp-content from
  # the private directory; everything else is php -S's own handling (files,
  # and index.php for pretty permalinks such as /wp-json/…).
  cat >"$_IGNY8_WP_DIR/router.php" <<PHP
<?php
\$_SERVER['WORDPRESS_CONFIG'] = '$_IGNY8_WP_NAME';
\$path = rawurldecode(parse_url(\$_SERVER['REQUEST_URI'], PHP_URL_PATH) ?? '/');
if (str_starts_with(\$path, '/wp-content/') && !str_contains(\$path, '..')) {
    \$file = '$content' . substr(\$path, strlen('/wp-content'));
    if (is_file(\$file) && !str_ends_with(\$file, '.php')) {
        \$types = ['png' => 'image/png', 'jpg' => 'image/jpeg', 'jpeg' => 'image/jpeg', 'webp' => 'image/webp',
                   'gif' => 'image/gif', 'css' => 'text/css', 'js' => 'text/javascript', 'svg' => 'image/svg+xml'];
        \$ext = strtolower(pathinfo(\$file, PATHINFO_EXTENSION));
        header('Content-Type: ' . (\$types[\$ext] ?? 'application/octet-stream'));
        readfile(\$file);
        return true;
    }
}
return false;
PHP

  local log="$_IGNY8_WP_DIR/php-server.log"
  PHP_CLI_SERVER_WORKERS=${IGNY8_WP_WORKERS:-4} setsid php -d upload_max_filesize=16M -d post_max_size=20M \
    -d display_errors=stderr -S "127.0.0.1:$port" -t /usr/share/wordpress "$_IGNY8_WP_DIR/router.php" \
    >"$log" 2>&1 &
  _IGNY8_WP_PID=$!
  local i
  for ((i = 0; i < 100; i++)); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    kill -0 "$_IGNY8_WP_PID" 2>/dev/null || _wp_die "php -S did not start; see $log"
    sleep 0.1
  done

  local admin_pw
  admin_pw=$(_wp_salt)
  curl -fsS -o /dev/null --max-time 120 "$url/wp-admin/install.php?step=2" \
    --data-urlencode "weblog_title=igny8 test blog" --data-urlencode "user_name=admin" \
    --data-urlencode "admin_password=$admin_pw" --data-urlencode "admin_password2=$admin_pw" \
    --data-urlencode "pw_weak=1" --data-urlencode "admin_email=admin@example.com" \
    --data-urlencode "blog_public=0" --data-urlencode "language=" ||
    _wp_die "wp-admin/install.php failed; see $log"

  local out
  out=$(_wp_php "
    if (!is_blog_installed()) { fwrite(STDERR, 'not installed'); exit(1); }
    update_option('permalink_structure', '/%postname%/');
    flush_rewrite_rules(false);
    switch_theme('twentytwentythree');
    \$r = activate_plugin('igny8-bridge/igny8-bridge.php');
    if (is_wp_error(\$r)) { fwrite(STDERR, \$r->get_error_message()); exit(1); }
    \$admin = get_user_by('login', 'admin');
    \$sub = wp_insert_user(['user_login' => 'reader', 'user_pass' => wp_generate_password(24),
        'user_email' => 'reader@example.com', 'role' => 'subscriber']);
    if (is_wp_error(\$sub)) { fwrite(STDERR, \$sub->get_error_message()); exit(1); }
    \$a = WP_Application_Passwords::create_new_application_password(\$admin->ID, ['name' => 'igny8 tests']);
    \$s = WP_Application_Passwords::create_new_application_password(\$sub, ['name' => 'igny8 tests']);
    if (is_wp_error(\$a) || is_wp_error(\$s)) { fwrite(STDERR, 'application password'); exit(1); }
    echo \$a[0], ' ', \$s[0];
  ") || _wp_die "configuring WordPress failed"
  export IGNY8_TEST_WP_URL=$url
  export IGNY8_TEST_WP_USER=admin
  export IGNY8_TEST_WP_APP_PASSWORD=${out%% *}
  export IGNY8_TEST_WP_SUB_USER=reader
  export IGNY8_TEST_WP_SUB_PASSWORD=${out##* }
  export IGNY8_TEST_WP_REQUIRED=1
  curl -fsS -o /dev/null -u "admin:$IGNY8_TEST_WP_APP_PASSWORD" "$url/wp-json/wp/v2/users/me?context=edit" ||
    _wp_die "the REST API does not accept the application password; see $log"
  _wp_log "WordPress $(_wp_php 'echo get_bloginfo("version");') at $url (php -S pid $_IGNY8_WP_PID)"
}

igny8_wordpress_cleanup() {
  local -
  set +e
  if [[ $_IGNY8_WP_CLEANED == 1 || -z $_IGNY8_WP_NAME ]]; then return 0; fi
  _IGNY8_WP_CLEANED=1
  if [[ -n $_IGNY8_WP_PID ]]; then
    # php -S with workers: the server and its workers share a process group (setsid)
    kill -TERM -- "-$_IGNY8_WP_PID" 2>/dev/null || kill -TERM "$_IGNY8_WP_PID" 2>/dev/null
  fi
  _wp_mysql -e "DROP DATABASE IF EXISTS \`$_IGNY8_WP_DB\`" 2>/dev/null
  rm -f "/etc/wordpress/config-$_IGNY8_WP_NAME.php"
  [[ -n $_IGNY8_WP_DIR ]] && rm -rf "$_IGNY8_WP_DIR"
  return 0
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  set -euo pipefail
  case ${1:-} in
    start)
      trap igny8_wordpress_cleanup EXIT
      trap 'exit 130' INT TERM
      igny8_wordpress_start
      for v in IGNY8_TEST_WP_URL IGNY8_TEST_WP_USER IGNY8_TEST_WP_APP_PASSWORD IGNY8_TEST_WP_SUB_USER IGNY8_TEST_WP_SUB_PASSWORD IGNY8_TEST_WP_REQUIRED; do
        printf 'export %s=%q\n' "$v" "${!v}"
      done
      _wp_log "serving until interrupted (Ctrl-C removes the instance)"
      wait "$_IGNY8_WP_PID"
      ;;
    *)
      echo "usage: $0 start" >&2
      exit 2
      ;;
  esac
fi
