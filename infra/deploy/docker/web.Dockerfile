# The web front server and the SvelteKit build. Build from the repository root:
#   docker build -f infra/deploy/docker/web.Dockerfile -t polyphony/web .
# Not built on the project's machines (no Docker there); see docs/deploy.md.
FROM node:24-bookworm-slim AS build
WORKDIR /app
RUN npm install --global pnpm@12.21.0
COPY . .
RUN pnpm install --frozen-lockfile --filter @polyphony/web... \
 && pnpm --filter @polyphony/web run build \
 && pnpm install --frozen-lockfile --prod --filter @polyphony/web...

FROM node:24-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/packages ./packages
COPY --from=build /app/apps/web/package.json /app/apps/web/server.js /app/apps/web/csp.js ./apps/web/
COPY --from=build /app/apps/web/node_modules ./apps/web/node_modules
COPY --from=build /app/apps/web/build ./apps/web/build
USER 1000:1000
EXPOSE 3000
CMD ["node", "apps/web/server.js"]
