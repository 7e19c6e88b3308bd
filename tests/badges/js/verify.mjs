// Verify an Open Badges 3.0 credential (eddsa-rdfc-2022 Data Integrity proof, did:key)
// with @digitalcredentials/vc, offline: no context or DID document is fetched.
// Usage: node verify.mjs credential.json  -> prints {"verified": true|false, "errors": [...]}
import { readFileSync } from 'node:fs'
import * as vc from '@digitalcredentials/vc'
import { DataIntegrityProof } from '@digitalcredentials/data-integrity'
import { cryptosuite as eddsaRdfc2022CryptoSuite } from '@digitalcredentials/eddsa-rdfc-2022-cryptosuite'
import { securityLoader } from '@digitalcredentials/security-document-loader'

const credential = JSON.parse(readFileSync(process.argv[2], 'utf8'))
const documentLoader = securityLoader({ fetchRemoteContexts: false }).build()
const suite = new DataIntegrityProof({ cryptosuite: eddsaRdfc2022CryptoSuite })
try {
  const result = await vc.verifyCredential({ credential, suite, documentLoader, checkStatus: false })
  const errors = []
  if (result.error) errors.push(String(result.error.message || result.error))
  for (const r of result.results || []) if (r.error) errors.push(String(r.error.message || r.error))
  console.log(JSON.stringify({ verified: result.verified === true, errors }))
} catch (e) {
  console.log(JSON.stringify({ verified: false, errors: [String(e && e.message || e)] }))
}
