import { configure } from '@testing-library/react';

// findBy* / waitFor give up after 1 s by default; a CI machine under load has been seen to need more to render a page
configure({ asyncUtilTimeout: 5_000 });
