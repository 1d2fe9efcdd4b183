import type { INestApplication } from '@nestjs/common';
import express from 'express';

// TEMPORARY (verifying the tests fail without the defences): the body parser as it was.
export function installEdgeDefences(app: INestApplication): void {
  app.use(express.json({ limit: '1mb' }));
}
