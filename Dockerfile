# The vpnscope backend (`vpnscope serve`). The Grafana plugin is not in this image: build it with
# `npm run build:plugin` and mount dist/ into Grafana, as docker-compose.yml does.
FROM node:20.20.2-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 compiles its native module when no prebuilt binary matches
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY backend ./backend
RUN npm run build:backend && npm prune --omit=dev --no-audit --no-fund

FROM node:20.20.2-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production \
    VPNSCOPE_CONFIG=/etc/vpnscope/vpnscope.yaml
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/backend/bin ./backend/bin
COPY --from=build /app/backend/dist ./backend/dist
VOLUME /var/lib/vpnscope
EXPOSE 9234
# The script's #! line carries the V8 flags the service runs with.
ENTRYPOINT ["backend/bin/vpnscope.js"]
CMD ["serve"]
