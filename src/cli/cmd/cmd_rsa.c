/* cmd_rsa.c: `kexlab rsa keygen|show|convert|check|encrypt|decrypt|sign|verify`. */
#include "commands.h"
#include "subcmd.h"

static const subcmd rsa_table[] = {
  {"keygen", rsa_keygen, "generate a key pair"},
  {"show", rsa_show, "print a key's fields (like openssl rsa -text -noout)"},
  {"convert", rsa_convert, "convert between PEM, DER and .NET formats"},
  {"check", rsa_check, "audit a key and explain each check"},
  {"encrypt", rsa_encrypt, "RSAES-OAEP encryption"},
  {"decrypt", rsa_decrypt, "RSAES-OAEP decryption"},
  {"sign", rsa_sign, "RSASSA-PSS or PKCS#1 v1.5 signature"},
  {"verify", rsa_verify, "verify a signature"},
};

int cmd_rsa(int argc, char **argv)
{
  return subcmd_dispatch("rsa", "usage: kexlab rsa NAME [options]\n\nSubcommands:\n", rsa_table,
                         sizeof rsa_table / sizeof rsa_table[0], argc, argv);
}
