<?php
/**
 * Plugin Name:       igny8 Bridge
 * Description:       Companion of igny8: stores igny8's post meta, prints the meta description, and tells igny8 when a published post changes status (signed webhooks).
 * Version:           1.0.0
 * Requires at least: 6.0
 * Requires PHP:      7.4
 * License:           GPL-2.0-or-later
 * License URI:       https://www.gnu.org/licenses/gpl-2.0.html
 * Text Domain:       igny8-bridge
 *
 * igny8 Bridge is free software: you can redistribute it and/or modify it
 * under the terms of the GNU General Public License as published by the Free
 * Software Foundation, either version 2 of the License, or (at your option)
 * any later version. It is distributed in the hope that it will be useful,
 * but WITHOUT ANY WARRANTY; without even the implied warranty of
 * MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE. See the GNU General
 * Public License for more details.
 */

if (!defined('ABSPATH')) {
    exit;
}

const IGNY8_BRIDGE_VERSION = '1.0.0';
const IGNY8_BRIDGE_META = array(
    '_igny8_content_id',
    '_igny8_primary_keyword',
    '_igny8_secondary_keywords',
    '_igny8_meta_description',
);

/** Post meta igny8 writes through the REST API (protected keys, editors only). */
function igny8_bridge_register_meta() {
    foreach (IGNY8_BRIDGE_META as $key) {
        register_post_meta('post', $key, array(
            'type'          => 'string',
            'single'        => true,
            'show_in_rest'  => true,
            'auth_callback' => function () {
                return current_user_can('edit_posts');
            },
        ));
    }
}
add_action('init', 'igny8_bridge_register_meta');

/**
 * Settings: the webhook URL (https://<igny8>/hooks/wordpress/<siteId>) and
 * the site's secret, both shown by igny8 when the site is connected. Also
 * settable through /wp/v2/settings by an administrator.
 */
function igny8_bridge_register_settings() {
    register_setting('igny8_bridge', 'igny8_bridge_webhook_url', array(
        'type'              => 'string',
        'show_in_rest'      => true,
        'sanitize_callback' => 'esc_url_raw',
        'default'           => '',
    ));
    register_setting('igny8_bridge', 'igny8_bridge_secret', array(
        'type'              => 'string',
        'show_in_rest'      => true,
        'sanitize_callback' => 'sanitize_text_field',
        'default'           => '',
    ));
}
add_action('init', 'igny8_bridge_register_settings');
add_action('admin_init', 'igny8_bridge_register_settings');

/** igny8 asks this to tell whether the bridge is installed. */
add_action('rest_api_init', function () {
    register_rest_route('igny8/v1', '/status', array(
        'methods'             => 'GET',
        'permission_callback' => function () {
            return current_user_can('edit_posts');
        },
        'callback'            => function () {
            return array(
                'version'    => IGNY8_BRIDGE_VERSION,
                'configured' => get_option('igny8_bridge_webhook_url') !== '' && get_option('igny8_bridge_secret') !== '',
            );
        },
    ));
});

/** The meta description in <head>, unless an SEO plugin prints one. */
function igny8_bridge_head() {
    if (!is_singular('post') || defined('WPSEO_VERSION') || defined('RANK_MATH_VERSION')
        || defined('AIOSEO_VERSION') || defined('SEOPRESS_VERSION')) {
        return;
    }
    $description = get_post_meta(get_queried_object_id(), '_igny8_meta_description', true);
    if ($description !== '') {
        printf("<meta name=\"description\" content=\"%s\" />\n", esc_attr($description));
    }
}
add_action('wp_head', 'igny8_bridge_head', 1);

/** Sends a signed status change of an igny8 post to igny8. */
function igny8_bridge_notify($post_id, $status) {
    $content_id = get_post_meta($post_id, '_igny8_content_id', true);
    $url = get_option('igny8_bridge_webhook_url');
    $secret = get_option('igny8_bridge_secret');
    if ($content_id === '' || $url === '' || $secret === '') {
        return;
    }
    $timestamp = time();
    $body = wp_json_encode(array(
        'postId'    => (int) $post_id,
        'contentId' => $content_id,
        'status'    => $status,
        'link'      => $status === 'deleted' ? null : get_permalink($post_id),
        'timestamp' => $timestamp,
    ));
    $signature = hash_hmac('sha256', $timestamp . '.' . $body, $secret);
    wp_remote_post($url, array(
        'timeout' => 5,
        'headers' => array(
            'Content-Type'      => 'application/json',
            'X-Igny8-Timestamp' => (string) $timestamp,
            'X-Igny8-Signature' => 'sha256=' . $signature,
        ),
        'body'    => $body,
    ));
}

add_action('transition_post_status', function ($new_status, $old_status, $post) {
    if ($new_status === $old_status || $post->post_type !== 'post') {
        return;
    }
    igny8_bridge_notify($post->ID, $new_status);
}, 10, 3);

add_action('before_delete_post', function ($post_id) {
    if (get_post_type($post_id) === 'post') {
        igny8_bridge_notify($post_id, 'deleted');
    }
});

/** Settings → igny8: paste the webhook URL and the secret igny8 showed. */
add_action('admin_menu', function () {
    add_options_page('igny8', 'igny8', 'manage_options', 'igny8-bridge', function () {
        ?>
        <div class="wrap">
            <h1>igny8</h1>
            <form method="post" action="options.php">
                <?php settings_fields('igny8_bridge'); ?>
                <table class="form-table">
                    <tr><th><label for="igny8_bridge_webhook_url">Webhook URL</label></th>
                        <td><input class="regular-text" id="igny8_bridge_webhook_url" name="igny8_bridge_webhook_url"
                                   value="<?php echo esc_attr(get_option('igny8_bridge_webhook_url')); ?>" /></td></tr>
                    <tr><th><label for="igny8_bridge_secret">Secret</label></th>
                        <td><input class="regular-text" type="password" id="igny8_bridge_secret" name="igny8_bridge_secret"
                                   value="<?php echo esc_attr(get_option('igny8_bridge_secret')); ?>" /></td></tr>
                </table>
                <?php submit_button(); ?>
            </form>
        </div>
        <?php
    });
});
