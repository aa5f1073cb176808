// The unit tier alone, as one jest project: what mutation testing runs (Stryker's jest runner wants one config).
import config from '../../jest.config.js';

const unit = config.projects.find((project) => project.displayName === 'unit');
export default { ...unit, rootDir: '../..' };
