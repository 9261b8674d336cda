export { seedDemo, DEMO_LOGIN, type DemoSeed } from './seed-demo.ts';
