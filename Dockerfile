# Switchboard application image. drachtio-server, rtpengine, Redis and
# Postgres run as their own containers (docker-compose.yml).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts ./scripts
# The server, then the browser apps (softphone, admin) it serves from dist/web.
RUN npx tsc -p tsconfig.build.json && npx tsx scripts/build-web.ts && npm prune --omit=dev

FROM node:20-bookworm-slim
# sox turns rtpengine's pcap captures into WAV recordings and converts uploaded prompts;
# openssl makes the site's local certificate authority when no certificate is configured.
RUN apt-get update && apt-get install -y --no-install-recommends sox tini openssl && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY config ./config
COPY migrations ./migrations
COPY prompts ./prompts
COPY public ./public
RUN mkdir -p /app/data/recordings /app/data/prompts /app/data/tls && chown -R node:node /app/data
USER node
EXPOSE 3000
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/src/main.js"]
