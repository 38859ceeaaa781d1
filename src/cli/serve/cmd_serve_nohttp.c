/* cmd_serve_nohttp.c: the build without the REST transport (-Dhttp=disabled, or
 * libmicrohttpd/libcurl/jansson missing): the command says so. */
#include "commands.h"

int cmd_serve(int argc, char **argv)
{
  (void)argc;
  (void)argv;
  return cli_not_available("serve");
}
