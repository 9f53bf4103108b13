import { Router } from 'express';
import swaggerUi from 'swagger-ui-express';
import { buildOpenApiDocument } from '@customer-sync/customer-api';

/** /openapi.json, the interactive /docs page, and /checking kept for older clients. */
export function docsRoutes(): Router {
  const document = buildOpenApiDocument();
  const router = Router();
  router.get('/checking', (_req, res) => void res.json({ message: 'this endpoint is working' }));
  router.get('/openapi.json', (_req, res) => void res.json(document));
  router.use('/docs', swaggerUi.serve, swaggerUi.setup(document as never));
  return router;
}
