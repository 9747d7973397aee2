// PostGraphile 4 over the igny8 bench database, for the nested-read comparison.
// Tenancy like igny8's: the bearer JWT (HS256, iss igny8, aud igny8-api) is
// verified per request; the query runs as role igny8_app with app.account_id
// set from the token's `acc` claim, so the same row-level security applies.
const http = require("http");
const { postgraphile } = require("postgraphile");
const { Pool } = require("pg");
const jwt = require("jsonwebtoken");

const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.POOL_SIZE || 16),
});
const secret = process.env.IGNY8_JWT_SECRET;
const port = Number(process.env.PORT || 18100);

const middleware = postgraphile(pool, "public", {
  graphiql: false,
  disableQueryLog: true,
  dynamicJson: true,
  setofFunctionsContainNulls: false,
  ignoreRBAC: false,
  pgSettings: async (req) => {
    const h = req.headers.authorization || "";
    // no token: the app role without a tenant, which RLS shows nothing (readiness probes)
    if (!h) return { role: "igny8_app" };
    const claims = jwt.verify(h.replace(/^Bearer /i, ""), secret, {
      algorithms: ["HS256"],
      issuer: "igny8",
      audience: "igny8-api",
    });
    return { role: "igny8_app", "app.account_id": claims.acc };
  },
});

http.createServer(middleware).listen(port, "127.0.0.1", () => {
  console.log(`postgraphile on 127.0.0.1:${port}`);
});
