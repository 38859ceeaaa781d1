/* aes_tables.h: the tables that tablegen.c generates at build time into
 * aes_tables.c (in the build directory; never typed, never committed).
 *   kli_aes_sbox      S-box, FIPS 197 §5.1.1 (Figure 7)
 *   kli_aes_inv_sbox  inverse S-box, §5.3.2 (Figure 14)
 *   kli_aes_Te[j]     encryption T-tables: Te0[x] = column (02•S[x], S[x], S[x], 03•S[x]),
 *                     Te_j = Te0 rotated right by 8j bits (SubBytes + MixColumns, §5.1.1, §5.1.3)
 *   kli_aes_Td[j]     decryption T-tables: Td0[x] = column (0e•Si, 09•Si, 0d•Si, 0b•Si),
 *                     Si = InvS[x], Td_j = Td0 rotated right by 8j (§5.3.2, §5.3.3)
 * Words are big-endian columns: the top byte is row 0 of the state. */
#ifndef KL_AES_TABLES_H
#define KL_AES_TABLES_H

#include <stdint.h>

extern const uint8_t kli_aes_sbox[256];
extern const uint8_t kli_aes_inv_sbox[256];
extern const uint32_t kli_aes_Te[4][256];
extern const uint32_t kli_aes_Td[4][256];

#endif
