import type { AiFunction } from '../gql/graphql';

/** Every AI function, in the order the settings pages list them. */
export const AI_FUNCTIONS: AiFunction[] = ['AUTO_CLUSTER', 'GENERATE_IDEAS', 'GENERATE_CONTENT', 'GENERATE_IMAGE_PROMPTS', 'GENERATE_IMAGES'];
