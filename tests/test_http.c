/* test_http.c: the transport's pure parts, without a socket: the router
 * (RFC 9110 §15.5.5 404 / §15.5.6 405), the log-path shortening, the JSON
 * body parser and base64 members (RFC 8259, RFC 4648 §4), the error bodies
 * (one generic decryption body), media types (RFC 9110 §8.3.1) and the
 * token-bucket rate limiter. The sockets are the scripts in tests/http's business. */
#include <stdlib.h>
#include <string.h>

#include "http/http_internal.h"
#include "test_util.h"

START_TEST(router_routes)
{
  kli_route_match m;
  const char *id = "0f8fad5b-d9cb-469f-a165-70867728950e";
  char path[128];
  kli_route_parse(&m, "GET", "/v1/health");
  ck_assert_int_eq(m.route, KLI_ROUTE_HEALTH);
  ck_assert_int_eq(m.method_ok, 1);
  kli_route_parse(&m, "GET", "/v1/health?x=1");
  ck_assert_int_eq(m.route, KLI_ROUTE_HEALTH);
  kli_route_parse(&m, "POST", "/v1/health");
  ck_assert_int_eq(m.route, KLI_ROUTE_HEALTH);
  ck_assert_int_eq(m.method_ok, 0);
  ck_assert_str_eq(m.allow, "GET");
  kli_route_parse(&m, "GET", "/v1/identity");
  ck_assert_int_eq(m.route, KLI_ROUTE_IDENTITY);
  kli_route_parse(&m, "GET", "/v1/metrics");
  ck_assert_int_eq(m.route, KLI_ROUTE_METRICS);
  ck_assert_int_eq(m.method_ok, 1);
  kli_route_parse(&m, "POST", "/v1/sessions");
  ck_assert_int_eq(m.route, KLI_ROUTE_SESSIONS);
  ck_assert_int_eq(m.method_ok, 1);
  snprintf(path, sizeof path, "/v1/sessions/%s", id);
  kli_route_parse(&m, "DELETE", path);
  ck_assert_int_eq(m.route, KLI_ROUTE_SESSION);
  ck_assert_str_eq(m.id, id);
  kli_route_parse(&m, "GET", path);
  ck_assert_int_eq(m.method_ok, 0);
  ck_assert_str_eq(m.allow, "DELETE");
  static const struct {
    const char *action;
    kli_route r;
  } actions[] = {
    {"key", KLI_ROUTE_KEY}, {"messages", KLI_ROUTE_MESSAGES}, {"rekey", KLI_ROUTE_REKEY}};
  for (size_t i = 0; i < 3; i++) {
    snprintf(path, sizeof path, "/v1/sessions/%s/%s", id, actions[i].action);
    kli_route_parse(&m, "POST", path);
    ck_assert_int_eq(m.route, actions[i].r);
    ck_assert_int_eq(m.method_ok, 1);
    ck_assert_str_eq(m.id, id);
  }
}
END_TEST

START_TEST(router_rejects)
{
  kli_route_match m;
  static const char *const bad[] = {
    "",
    "/",
    "/v1",
    "/v1/",
    "/v1/healthz",
    "/v2/health",
    "/v1/sessionsX",
    "/v1/sessions/",
    "/v1/sessions//key",
    "/v1/sessions/abc/keys",
    "/v1/sessions/abc/key/more",
    "/v1/sessions/a%20b/key",
    "/v1/sessions/a.b",
    "/v1/sessions/a_b/messages",
    "/v1/sessions/00000000001111111111222222222233333333334444444444555555555566666/key",
    "v1/health",
    "/V1/HEALTH",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    kli_route_parse(&m, "POST", bad[i]);
    ck_assert_msg(m.route == KLI_ROUTE_NONE, "routed: '%s'", bad[i]);
  }
  kli_route_parse(&m, NULL, "/v1/health");
  ck_assert_int_eq(m.route, KLI_ROUTE_NONE);
}
END_TEST

START_TEST(log_path_hides_ids)
{
  char out[96];
  kli_route_log_path(out, sizeof out,
                     "/v1/sessions/0f8fad5b-d9cb-469f-a165-70867728950e/messages?secret=1");
  ck_assert_str_eq(out, "/v1/sessions/0f8fad5b.../messages");
  kli_route_log_path(out, sizeof out, "/v1/sessions/0f8fad5b-d9cb-469f-a165-70867728950e");
  ck_assert_str_eq(out, "/v1/sessions/0f8fad5b...");
  kli_route_log_path(out, sizeof out, "/v1/health");
  ck_assert_str_eq(out, "/v1/health");
  kli_route_log_path(out, sizeof out, "/v1/\x01\x7f\xff x");
  ck_assert_str_eq(out, "/v1/????x");
  kli_route_log_path(out, 8, "/v1/identity");
  ck_assert_str_eq(out, "/v1/ide");
}
END_TEST

START_TEST(json_members)
{
  json_t *obj = NULL;
  const char *body = "{\"frame\":\"AAECAw==\",\"n\":5,\"e\":\"@@@@\"}";
  ck_assert_int_eq(kli_json_parse_object(&obj, body, strlen(body)), KL_OK);
  uint8_t *b = NULL;
  size_t len = 0;
  kli_error why = KLI_E_COUNT;
  ck_assert_int_eq(kli_json_get_base64(obj, "frame", 16, &b, &len, &why), KL_OK);
  ck_assert_uint_eq(len, 4);
  th_assert_hex(b, len, "00010203");
  free(b);
  ck_assert_int_ne(kli_json_get_base64(obj, "frame", 3, &b, &len, &why), KL_OK);
  ck_assert_int_eq(why, KLI_E_BAD_FRAME);
  ck_assert_int_ne(kli_json_get_base64(obj, "n", 16, &b, &len, &why), KL_OK);
  ck_assert_int_eq(why, KLI_E_WRONG_TYPE);
  ck_assert_int_ne(kli_json_get_base64(obj, "e", 16, &b, &len, &why), KL_OK);
  ck_assert_int_eq(why, KLI_E_BAD_BASE64);
  ck_assert_int_ne(kli_json_get_base64(obj, "missing", 16, &b, &len, &why), KL_OK);
  ck_assert_int_eq(why, KLI_E_MISSING_FIELD);
  ck_assert_ptr_null(b);
  json_decref(obj);

  static const char *const bad[] = {
    "", "[]", "\"x\"", "5", "{", "{\"a\":1,\"a\":2}", "{\"a\":1} trailing", "{'a':1}", "nul"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    ck_assert_msg(kli_json_parse_object(&obj, bad[i], strlen(bad[i])) == KL_ERR_ENCODING,
                  "accepted: %s", bad[i]);
    ck_assert_ptr_null(obj);
  }
  /* Deep nesting is refused by jansson's depth limit, not by the stack. */
  size_t depth = 100000;
  char *deep = malloc(depth + 1);
  memset(deep, '[', depth);
  ck_assert_int_eq(kli_json_parse_object(&obj, deep, depth), KL_ERR_ENCODING);
  free(deep);
}
END_TEST

START_TEST(error_bodies)
{
  char a[512], b[512];
  kli_error_body(a, sizeof a, KLI_E_DECRYPT, NULL);
  kli_error_body(b, sizeof b, KLI_E_DECRYPT, "bad tag at byte 7");
  ck_assert_str_eq(a, b); /* the detail never reaches a decryption error */
  ck_assert_str_eq(
    a, "{\"error\":\"decrypt_failed\",\"message\":\"decryption or authentication failed\"}");
  kli_error_body(a, sizeof a, KLI_E_MISSING_FIELD, "missing field \"frame\"");
  ck_assert_str_eq(a, "{\"error\":\"missing_field\",\"message\":\"missing field \\\"frame\\\"\"}");
  /* Each code has the status of docs/rest-api.md, "Errors". */
  ck_assert_uint_eq(kli_error_status(KLI_E_BAD_JSON), 400);
  ck_assert_uint_eq(kli_error_status(KLI_E_NO_SESSION), 404);
  ck_assert_uint_eq(kli_error_status(KLI_E_METHOD), 405);
  ck_assert_uint_eq(kli_error_status(KLI_E_CONFLICT), 409);
  ck_assert_uint_eq(kli_error_status(KLI_E_TOO_LARGE), 413);
  ck_assert_uint_eq(kli_error_status(KLI_E_MEDIA_TYPE), 415);
  ck_assert_uint_eq(kli_error_status(KLI_E_RATE), 429);
  ck_assert_uint_eq(kli_error_status(KLI_E_SESSION_CAP), 503);
  ck_assert_uint_eq(kli_error_status(KLI_E_OVERLOAD), 503);
  ck_assert_uint_eq(kli_error_status(KLI_E_COUNT), 500);
  /* Truncation keeps a NUL. */
  ck_assert_uint_eq(kli_error_body(a, 5, KLI_E_DECRYPT, NULL), 4);
  ck_assert_str_eq(a, "{\"er");
}
END_TEST

START_TEST(media_types)
{
  ck_assert(kli_media_type_is("application/json", "application/json"));
  ck_assert(kli_media_type_is("Application/JSON; charset=utf-8", "application/json"));
  ck_assert(kli_media_type_is("application/json;charset=utf-8", "application/json"));
  ck_assert(!kli_media_type_is("application/jsonx", "application/json"));
  ck_assert(!kli_media_type_is("text/plain", "application/json"));
  ck_assert(!kli_media_type_is(NULL, "application/json"));
  ck_assert(!kli_media_type_is("application/js", "application/json"));
}
END_TEST

START_TEST(rate_limiter)
{
  kli_rate_table *t = malloc(sizeof *t);
  /* 60 per minute = 1 per second, burst 3. */
  kli_rate_init(t, 60, 3);
  double now = 1000;
  for (int i = 0; i < 3; i++)
    ck_assert_int_eq(kli_rate_take(t, "10.0.0.1", now), 1);
  ck_assert_int_eq(kli_rate_take(t, "10.0.0.1", now), 0);
  ck_assert_int_eq(kli_rate_take(t, "10.0.0.1", now + 0.5), 0);
  ck_assert_int_eq(kli_rate_take(t, "10.0.0.1", now + 1.01), 1); /* refilled one */
  ck_assert_int_eq(kli_rate_take(t, "10.0.0.1", now + 1.02), 0);
  /* Another client has its own bucket (unless it hashes to the same slot). */
  ck_assert_int_eq(kli_rate_take(t, "10.0.0.2", now + 1.02), 1);
  /* After a long pause the bucket is full again, never more. */
  for (int i = 0; i < 3; i++)
    ck_assert_int_eq(kli_rate_take(t, "10.0.0.1", now + 100), 1);
  ck_assert_int_eq(kli_rate_take(t, "10.0.0.1", now + 100), 0);
  /* 0 disables the limit. */
  kli_rate_init(t, 0, 3);
  for (int i = 0; i < 100; i++)
    ck_assert_int_eq(kli_rate_take(t, "10.0.0.1", now), 1);
  free(t);
}
END_TEST

START_TEST(json_bom_and_member_case)
{
  /* RFC 8259 §8.1: a leading UTF-8 BOM is ignored (not one elsewhere). */
  json_t *obj = NULL;
  const char *bom = "\xEF\xBB\xBF{\"Profile\":\"seed\"}";
  ck_assert_int_eq(kli_json_parse_object(&obj, bom, strlen(bom)), KL_OK);
  const char *after = "{\"a\":1}\xEF\xBB\xBF";
  json_t *bad_obj = NULL;
  ck_assert_int_eq(kli_json_parse_object(&bad_obj, after, strlen(after)), KL_ERR_ENCODING);
  /* Member names ignore case, as System.Text.Json's PropertyNameCaseInsensitive. */
  static const char *const names[] = {"profile", NULL};
  json_t *canon = NULL;
  const char *bad = NULL;
  kli_error why = KLI_E_COUNT;
  ck_assert_int_eq(kli_json_members(&canon, obj, names, &bad, &why), KL_OK);
  ck_assert_str_eq(json_string_value(json_object_get(canon, "profile")), "seed");
  json_decref(canon);
  json_decref(obj);
  /* An unknown member is named; two spellings of one member are refused. */
  static const char *const cases[][3] = {
    {"{\"profile\":\"seed\",\"Profil\":1}", "Profil", "u"},
    {"{\"PROFILE\":\"seed\",\"profile\":\"hardened\"}", "profile", "d"},
    {"{\"frame\":\"AA==\"}", "frame", "u"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    ck_assert_int_eq(kli_json_parse_object(&obj, cases[i][0], strlen(cases[i][0])), KL_OK);
    ck_assert_int_eq(kli_json_members(&canon, obj, names, &bad, &why), KL_ERR_ENCODING);
    ck_assert_ptr_null(canon);
    ck_assert_str_eq(bad, cases[i][1]);
    ck_assert_int_eq(why, cases[i][2][0] == 'u' ? KLI_E_UNKNOWN_FIELD : KLI_E_BAD_JSON);
    json_decref(obj);
  }
  ck_assert_uint_eq(kli_error_status(KLI_E_UNKNOWN_FIELD), 400);
  ck_assert_str_eq(kli_error_code(KLI_E_UNKNOWN_FIELD), "unknown_field");
}
END_TEST

START_TEST(guid_forms)
{
  /* The forms of .NET's Guid.ToString("N"/"D"/"B"/"P"), either case. */
  static const char *const good[] = {
    "0f8fad5b-d9cb-469f-a165-70867728950e",   "0F8FAD5B-D9CB-469F-A165-70867728950E",
    "0f8fad5bd9cb469fa16570867728950e",       "0F8FAD5BD9CB469FA16570867728950E",
    "{0f8fad5b-d9cb-469f-a165-70867728950e}", "{0F8FAD5B-D9CB-469F-A165-70867728950E}",
    "(0f8fad5b-d9cb-469f-a165-70867728950e)", "(0f8FAD5b-d9cb-469f-A165-70867728950e)",
  };
  char d[KLI_GUID_D_LEN + 1];
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
    ck_assert_msg(kli_guid_to_d(d, good[i]), "refused: %s", good[i]);
    ck_assert_str_eq(d, "0f8fad5b-d9cb-469f-a165-70867728950e");
  }
  static const char *const bad[] = {
    "",
    "0f8fad5b-d9cb-469f-a165-70867728950",
    "0f8fad5bd9cb469fa16570867728950",
    "0f8fad5bd9cb469fa16570867728950e0",
    "0f8fad5b-d9cb-469f-a16570867728950e-",
    "0f8fad5bxd9cb-469f-a165-70867728950e",
    "g f8fad5b-d9cb-469f-a165-70867728950e",
    "{0f8fad5b-d9cb-469f-a165-70867728950e)",
    "(0f8fad5b-d9cb-469f-a165-70867728950e}",
    "{0f8fad5bd9cb469fa16570867728950e}",
    "0f8fad5b-d9cb-469f-a165-70867728950g",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    ck_assert_msg(!kli_guid_to_d(d, bad[i]), "accepted: %s", bad[i]);
  /* The router lets the B and P forms through to the session table. */
  kli_route_match m;
  kli_route_parse(&m, "POST", "/v1/sessions/{0f8fad5b-d9cb-469f-a165-70867728950e}/key");
  ck_assert_int_eq(m.route, KLI_ROUTE_KEY);
  ck_assert_str_eq(m.id, "{0f8fad5b-d9cb-469f-a165-70867728950e}");
  kli_route_parse(&m, "DELETE", "/v1/sessions/(0f8fad5bd9cb469fa16570867728950e)");
  ck_assert_int_eq(m.route, KLI_ROUTE_SESSION);
}
END_TEST

/* The metrics text: counters and histograms as the exposition format has
 * them (cumulative buckets, +Inf = _count), frame rejections by class. */
START_TEST(metrics_text)
{
  kli_metrics *m = kli_metrics_new();
  ck_assert_ptr_nonnull(m);
  kli_metrics_request(m, KLI_ROUTE_MESSAGES, 200, NULL, 0.0003, 100, 120);
  kli_metrics_request(m, KLI_ROUTE_MESSAGES, 200, NULL, 0.002, 100, 120);
  kli_metrics_request(m, KLI_ROUTE_MESSAGES, 400, "decrypt_failed", 0.0004, 100, 80);
  kli_metrics_request(m, KLI_ROUTE_MESSAGES, 404, "unknown_session", 0.0001, 100, 70);
  kli_metrics_request(m, KLI_ROUTE_NONE, 404, "not_found", 0.0001, 0, 60);
  kli_metrics_keygen(m, 0, 0.03);
  kli_metrics_view v;
  memset(&v, 0, sizeof v);
  v.node = 7;
  v.kex.created = 3;
  size_t len = 0;
  char *t = kli_metrics_render(m, &v, &len);
  ck_assert_ptr_nonnull(t);
  ck_assert_uint_eq(strlen(t), len);
  const char *want[] = {
    "kexlab_node 7\n",
    "kexlab_sessions_created_total 3\n",
    "kexlab_frames_accepted_total 2\n",
    "kexlab_frames_rejected_total{reason=\"decrypt\"} 1\n",
    "kexlab_frames_rejected_total{reason=\"no_session\"} 1\n",
    "kexlab_http_requests_total{route=\"messages\",code=\"200\"} 2\n",
    "kexlab_http_requests_total{route=\"other\",code=\"404\"} 1\n",
    "kexlab_http_request_duration_seconds_bucket{route=\"messages\",le=\"0.0005\"} 3\n",
    "kexlab_http_request_duration_seconds_bucket{route=\"messages\",le=\"0.001\"} 3\n",
    "kexlab_http_request_duration_seconds_bucket{route=\"messages\",le=\"+Inf\"} 4\n",
    "kexlab_http_request_duration_seconds_count{route=\"messages\"} 4\n",
    "kexlab_keygen_duration_seconds_bucket{source=\"pool\",le=\"0.05\"} 1\n",
    "kexlab_keygen_duration_seconds_count{source=\"inline\"} 0\n",
    "kexlab_http_request_body_bytes_total 400\n",
    "kexlab_http_response_body_bytes_total 450\n",
    "# TYPE kexlab_http_request_duration_seconds histogram\n",
  };
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
    ck_assert_msg(strstr(t, want[i]) != NULL, "missing: %s", want[i]);
  free(t);
  kli_metrics_free(m);
}
END_TEST

Suite *kl_test_suite(void)
{
  Suite *s = suite_create("http");
  TCase *tc = tcase_create("pure");
  tcase_add_test(tc, router_routes);
  tcase_add_test(tc, router_rejects);
  tcase_add_test(tc, log_path_hides_ids);
  tcase_add_test(tc, json_members);
  tcase_add_test(tc, error_bodies);
  tcase_add_test(tc, media_types);
  tcase_add_test(tc, rate_limiter);
  tcase_add_test(tc, json_bom_and_member_case);
  tcase_add_test(tc, guid_forms);
  tcase_add_test(tc, metrics_text);
  suite_add_tcase(s, tc);
  return s;
}
