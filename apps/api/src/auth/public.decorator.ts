import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'imggen:isPublic';

/** Opts a route out of authentication (health checks). Every other route requires a Bearer token. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
