# stripe-emulator: build the bundle with the workspace's toolchain, run it on a slim image with production packages only.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY apps apps
COPY libs libs
RUN npm ci --no-audit --no-fund
COPY nx.json tsconfig.base.json tsconfig.json ./
RUN npx esbuild apps/stripe-emulator/src/main.ts --bundle --platform=node --target=node20 --packages=external --sourcemap --outfile=dist/stripe-emulator/main.js
RUN npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production LOG_FORMAT=json PORT=12111
WORKDIR /app
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
USER node
EXPOSE 12111
HEALTHCHECK --interval=10s --timeout=3s CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "--enable-source-maps", "dist/stripe-emulator/main.js"]
